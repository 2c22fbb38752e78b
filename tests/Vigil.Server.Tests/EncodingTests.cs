using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Vigil.Server.Tests;

/// <summary>Text in the charset its sender declares, refused (never altered) when it does not decode.</summary>
public sealed class EncodingTests : IAsyncLifetime, IDisposable
{
    private const string Accented = "café crème, naïve façade";

    private readonly VigilFactory _factory = new();

    public async Task InitializeAsync() => await _factory.SeedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _factory.Dispose();

    [Theory]
    [InlineData("iso-8859-1")]
    [InlineData("\"ISO-8859-1\"")]
    [InlineData("windows-1252")]
    [InlineData("utf-16")]
    [InlineData("utf-8")]
    public async Task A_json_body_is_read_in_its_declared_charset(string charset)
    {
        var encoding = EncodingOf(charset);
        byte[] body = encoding.GetBytes($$"""{"text":"{{Accented}}","content_id":"enc-1"}""");
        Assert.Equal(Accented, await SubmitAsync(Bytes(body, $"application/json; charset={charset}")));
    }

    [Fact]
    public async Task A_json_body_that_is_not_utf8_and_declares_no_charset_is_refused()
    {
        var ingest = _factory.Api("ingest");
        byte[] latin1 = Encoding.Latin1.GetBytes($$"""{"text":"{{Accented}}"}""");
        foreach (var url in new[] { "/v1/content", "/v1/classify" })
        {
            string detail = await (await ingest.PostAsync(url, Bytes(latin1, "application/json"))).ProblemAsync(400);
            Assert.Contains("not valid UTF-8 (at byte 12)", detail, StringComparison.Ordinal);
            Assert.Contains("charset", detail, StringComparison.Ordinal);
        }

        // Declared UTF-8 and not UTF-8: refused too.
        Assert.Contains("not valid utf-8", await (await ingest.PostAsync("/v1/content", Bytes(latin1, "application/json; charset=utf-8"))).ProblemAsync(400), StringComparison.Ordinal);
        // A charset the bytes are not in: refused, not guessed.
        byte[] notAscii = Encoding.UTF8.GetBytes($$"""{"text":"{{Accented}}"}""");
        Assert.Contains("not valid us-ascii", await (await ingest.PostAsync("/v1/content", Bytes(notAscii, "application/json; charset=us-ascii"))).ProblemAsync(400), StringComparison.Ordinal);
        Assert.Contains("'x-klingon' declared for the body is not supported", await (await ingest.PostAsync("/v1/content", Bytes(notAscii, "application/json; charset=x-klingon"))).ProblemAsync(415), StringComparison.Ordinal);
        Assert.Empty((await (await _factory.Api("review").GetAsync("/v1/cases?state=all")).JsonAsync()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Multipart_text_fields_are_read_in_the_charset_of_their_part_or_of_the_request()
    {
        // The part's own charset.
        using (var form = new MultipartFormDataContent())
        {
            form.Add(Bytes(Encoding.Latin1.GetBytes(Accented), "text/plain; charset=iso-8859-1"), "text");
            form.Add(new StringContent("enc-2"), "content_id");
            Assert.Equal(Accented, await SubmitAsync(form));
        }

        // The request's charset, for parts that declare none.
        var raw = new MultipartFormDataContent("b0undary");
        raw.Add(Bytes(EncodingOf("windows-1252").GetBytes($"{Accented} €"), null), "text");
        raw.Headers.ContentType!.Parameters.Add(new NameValueHeaderValue("charset", "windows-1252"));
        Assert.Equal($"{Accented} €", await SubmitAsync(raw));

        // Neither, and not UTF-8: refused, naming the field.
        using var bad = new MultipartFormDataContent { { Bytes(Encoding.Latin1.GetBytes(Accented), null), "text" } };
        string detail = await (await _factory.Api("ingest").PostAsync("/v1/content", bad)).ProblemAsync(400);
        Assert.Contains("The form field 'text' is not valid UTF-8 (at byte 3)", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bank_bodies_and_import_forms_are_read_in_their_declared_charset()
    {
        var admin = _factory.Api("admin");
        byte[] bank = Encoding.Latin1.GetBytes("""{"name":"latin","description":"liste partagée"}""");
        var created = await (await admin.PostAsync("/v1/banks", Bytes(bank, "application/json; charset=iso-8859-1"))).JsonAsync();
        Assert.Equal("liste partagée", created.GetProperty("description").GetString());
        Assert.Contains("not valid UTF-8", await (await admin.PostAsync("/v1/banks", Bytes(bank, "application/json"))).ProblemAsync(400), StringComparison.Ordinal);

        // A list of known texts in Latin-1, saying so: its hashes are those of the texts, so the same text in UTF-8 matches.
        using var import = new MultipartFormDataContent
        {
            { Bytes(Encoding.Latin1.GetBytes($"{Accented}\n"), "text/plain; charset=iso-8859-1"), "file", "texts.txt" },
            { new StringContent("documents"), "format" },
            { Bytes(Encoding.Latin1.GetBytes("Société Exemple"), "text/plain; charset=iso-8859-1"), "organisation" },
        };
        var imported = await admin.PostAsync("/v1/banks/latin/import", import);
        Assert.True(imported.StatusCode == HttpStatusCode.OK, await imported.Content.ReadAsStringAsync());
        var entries = await (await admin.GetAsync("/v1/banks/latin/entries")).JsonAsync();
        Assert.All(entries.GetProperty("items").EnumerateArray(), e => Assert.Equal("Société Exemple", e.GetProperty("labels").GetProperty("organisation").GetString()));
        var verdict = await (await _factory.Api("ingest").PostJsonAsync("/v1/classify", new { Text = Accented })).JsonAsync();
        Assert.Contains(verdict.GetProperty("signals").EnumerateArray(), s => s.GetProperty("type").GetString() == "text_sha256");
    }

    /// <summary>Submits, then reads the stored text back.</summary>
    private async Task<string> SubmitAsync(HttpContent content)
    {
        var ingest = _factory.Api("ingest");
        var response = await ingest.PostAsync("/v1/content", content);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        long id = (await response.JsonAsync()).GetProperty("id").GetInt64();
        return (await _factory.Store.Content.GetAsync(id, CancellationToken.None))!.Text!;
    }

    private static ByteArrayContent Bytes(byte[] bytes, string? contentType)
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return content;
    }

    private static Encoding EncodingOf(string charset) =>
        CodePagesEncodingProvider.Instance.GetEncoding(charset.Trim('"')) ?? Encoding.GetEncoding(charset.Trim('"'));
}
