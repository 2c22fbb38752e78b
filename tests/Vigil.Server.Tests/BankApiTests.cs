using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Moderation.Audit;

namespace Vigil.Server.Tests;

public sealed class BankApiTests : IAsyncLifetime, IDisposable
{
    private const string Pdq1 = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
    private const string Md5 = "0123456789abcdef0123456789abcdef";

    private static readonly string PngSha256 = Convert.ToHexStringLower(SHA256.HashData(Fixtures.Png));

    private readonly VigilFactory _factory = new();

    public async Task InitializeAsync() => await _factory.SeedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _factory.Dispose();

    [Theory]
    [InlineData(null, "GET", "/v1/banks", 401)]
    [InlineData("ingest", "GET", "/v1/banks", 403)]
    [InlineData("ingest", "GET", "/v1/banks/tvec/entries", 403)]
    [InlineData("ingest", "POST", "/v1/banks", 403)]
    [InlineData("ingest", "POST", "/v1/banks/tvec/entries", 403)]
    [InlineData("ingest", "POST", "/v1/banks/tvec/disable", 403)]
    [InlineData("review", "POST", "/v1/banks", 403)]
    [InlineData("review", "PATCH", "/v1/banks/tvec", 403)]
    [InlineData("review", "POST", "/v1/banks/tvec/entries", 403)]
    [InlineData("review", "DELETE", $"/v1/banks/tvec/entries/md5/{Md5}", 403)]
    [InlineData("review", "POST", "/v1/banks/tvec/import", 403)]
    [InlineData("review", "POST", "/v1/banks/tvec/enable", 403)]
    [InlineData("review", "GET", "/v1/banks", 200)]
    [InlineData("review", "GET", "/v1/banks/tvec", 200)]
    [InlineData("review", "GET", "/v1/banks/tvec/entries", 200)]
    [InlineData("review", "GET", "/v1/banks/tvec/export", 200)]
    [InlineData("admin", "GET", "/v1/banks/tvec/entries", 200)]
    public async Task Review_and_admin_read_banks_and_only_admin_changes_them(string? key, string method, string url, int status)
    {
        await CreateBankAsync("tvec");
        var response = await _factory.Api(key).SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
        if (status == 200)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        else
        {
            await response.ProblemAsync(status);
        }
    }

    [Fact]
    public async Task Entries_added_through_the_api_are_matched_at_once_and_a_disabled_bank_is_not()
    {
        var ingest = _factory.Api("ingest");
        var admin = _factory.Api("admin");

        // The first upload builds (and caches) the image analyzer's matcher, before the bank exists.
        Assert.Equal("clear", await UploadVerdictAsync(ingest, "before"));

        var created = await CreateBankAsync("tvec", """{"name":"tvec","pdq_threshold":20,"description":"known propaganda"}""");
        Assert.Equal((20, 50, "known propaganda", true, false), (
            created.GetProperty("pdq_threshold").GetInt32(), created.GetProperty("min_quality").GetInt32(), created.GetProperty("description").GetString(),
            created.GetProperty("enabled").GetBoolean(), created.GetProperty("allow_list").GetBoolean()));

        string entries = $$"""
            [
              {"signal_type":"sha256","value":"{{PngSha256.ToUpperInvariant()}}","labels":{"organisation":"Example Org","ideology":"islamist","category":"terrorism.propaganda","tags":["video"]},"source":"test"},
              {"signal_type":"pdq","value":"abc"},
              {"signal_type":"md5","value":"{{Md5}}","opinion":"investigate","confidence":0.5}
            ]
            """;
        var added = await admin.PostRawAsync("/v1/banks/tvec/entries", entries);
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var report = await added.JsonAsync();
        Assert.Equal((2, 0, 1), (report.GetProperty("added").GetInt32(), report.GetProperty("updated").GetInt32(), report.GetProperty("bad_rows").GetInt32()));
        var problem = Assert.Single(report.GetProperty("problems").EnumerateArray());
        Assert.Equal(1, problem.GetProperty("index").GetInt32());
        Assert.Contains("64 hex digits", problem.GetProperty("problem").GetString(), StringComparison.Ordinal);

        var page = await (await _factory.Api("review").GetAsync("/v1/banks/tvec/entries")).JsonAsync();
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([PngSha256, Md5], items.Select(i => i.GetProperty("value").GetString()));
        var labels = items[0].GetProperty("labels");
        Assert.Equal(("Example Org", "islamist", "terrorism.propaganda", "video"), (
            labels.GetProperty("organisation").GetString(), labels.GetProperty("ideology").GetString(), labels.GetProperty("category").GetString(),
            labels.GetProperty("tags")[0].GetString()));
        Assert.Equal(("investigate", 0.5), (items[1].GetProperty("opinion").GetString(), items[1].GetProperty("confidence").GetDouble()));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next_after").ValueKind);

        var bank = await (await admin.GetAsync("/v1/banks/TVEC")).JsonAsync();
        Assert.Equal((0, 1, 1, 2), Counts(bank));

        // The next upload sees the new entries (the API's change invalidated the cached matcher).
        var response = await ingest.PostJsonAsync("/v1/content", new { ImageBase64 = Convert.ToBase64String(Fixtures.Png), ContentId = "banked" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var content = await response.JsonAsync();
        var result = content.GetProperty("result");
        Assert.NotEqual("clear", result.GetProperty("verdict").GetString());
        Assert.Equal(JsonValueKind.Object, content.GetProperty("case").ValueKind);
        var match = result.GetProperty("evidence").EnumerateArray().Single(e => e.GetProperty("signal").GetString() == "sha256");
        Assert.Contains("tvec", match.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var disabled = await admin.PostAsync("/v1/banks/tvec/disable", null);
        Assert.False((await disabled.JsonAsync()).GetProperty("enabled").GetBoolean());
        Assert.Equal("clear", await UploadVerdictAsync(ingest, "after-disable"));

        var enabled = await SendRawAsync(admin, HttpMethod.Patch, "/v1/banks/tvec", """{"enabled":true,"min_quality":60}""");
        Assert.Equal((true, 60), ((await enabled.JsonAsync()).GetProperty("enabled").GetBoolean(), (await enabled.JsonAsync()).GetProperty("min_quality").GetInt32()));
        Assert.NotEqual("clear", await UploadVerdictAsync(ingest, "after-enable"));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/banks/tvec/entries/sha256/{PngSha256}")).StatusCode);
        await (await admin.DeleteAsync($"/v1/banks/tvec/entries/sha256/{PngSha256}")).ProblemAsync(404);
        Assert.Equal("clear", await UploadVerdictAsync(ingest, "after-remove"));

        var audit = await BankAuditAsync();
        Assert.Equal(["bank.created", "bank.entries_added", "bank.updated", "bank.updated", "bank.entries_removed"], audit.Select(e => e.GetProperty("action").GetString()));
        Assert.All(audit, e => Assert.Equal("bank:tvec", e.GetProperty("subject").GetString()));
        Assert.All(audit, e => Assert.StartsWith("key:", e.GetProperty("actor").GetString(), StringComparison.Ordinal));
        var addedDetails = audit[1].GetProperty("details");
        Assert.Equal((2, 0, 1), (addedDetails.GetProperty("added").GetInt32(), addedDetails.GetProperty("updated").GetInt32(), addedDetails.GetProperty("bad_rows").GetInt32()));
        Assert.False(audit[2].GetProperty("details").GetProperty("enabled").GetProperty("to").GetBoolean());
        Assert.Equal(60, audit[3].GetProperty("details").GetProperty("settings.pdq").GetProperty("to").GetProperty("min_quality").GetInt32());
        Assert.Equal(PngSha256, audit[4].GetProperty("details").GetProperty("value").GetString());
        Assert.True((await _factory.Services.GetRequiredService<AuditTrail>().VerifyAsync(CancellationToken.None)).Ok);
    }

    [Fact]
    public async Task Imports_report_bad_rows_by_line_and_exports_read_back()
    {
        var admin = _factory.Api("admin");
        await CreateBankAsync("lists");

        var plain = await ImportAsync(admin, "lists", $"# known\n{Pdq1}\n{Md5}\n", "list.txt", ("category", "terrorism.emblem"));
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        var report = await plain.JsonAsync();
        Assert.Equal(("plain", 2, 0, 0), (report.GetProperty("format").GetString(), report.GetProperty("added").GetInt32(), report.GetProperty("bad_rows").GetInt32(), report.GetProperty("problems").GetArrayLength()));

        // TAT JSON, found by content (no extension): a deletion, an update and a bad row on line 4.
        string tat = $"[\n{{\"hash_digest\": \"{Md5}\", \"algorithm\": \"MD5\", \"deleted\": true}},\n{{\"hash_digest\": \"{Pdq1}\", \"algorithm\": \"PDQ\", \"ideology\": \"far-right\"}},\n{{\"hash_digest\": \"abc\", \"algorithm\": \"PDQ\"}}\n]\n";
        var json = await ImportAsync(admin, "lists", tat, "hashes", ("category", "terrorism.emblem"));
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        report = await json.JsonAsync();
        Assert.Equal(("tat-json", 0, 1, 1, 1, 1), (
            report.GetProperty("format").GetString(), report.GetProperty("added").GetInt32(), report.GetProperty("updated").GetInt32(),
            report.GetProperty("removed").GetInt32(), report.GetProperty("deleted_upstream").GetInt32(), report.GetProperty("bad_rows").GetInt32()));
        var problem = Assert.Single(report.GetProperty("problems").EnumerateArray());
        Assert.Equal(4, problem.GetProperty("line").GetInt32());
        Assert.Contains("a pdq hash is 64 hex digits", problem.GetProperty("problem").GetString(), StringComparison.Ordinal);

        var entry = Assert.Single((await (await admin.GetAsync("/v1/banks/lists/entries")).JsonAsync()).GetProperty("items").EnumerateArray());
        Assert.Equal(("far-right", "terrorism.emblem"), (entry.GetProperty("labels").GetProperty("ideology").GetString(), entry.GetProperty("labels").GetProperty("category").GetString()));

        // A file with no usable row imports nothing and says why, line by line.
        var bad = await ImportAsync(admin, "lists", "zzzz\nyyyy\n", "bad.txt");
        Assert.Contains("None of the 2 rows", await bad.ProblemAsync(400), StringComparison.Ordinal);
        var lines = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("line").GetInt32());
        Assert.Equal([1, 2], lines);
        await (await ImportAsync(admin, "lists", $"{Pdq1}\n", "list.txt", ("format", "xml"))).ProblemAsync(400);
        await (await ImportAsync(admin, "nope", $"{Pdq1}\n", "list.txt")).ProblemAsync(404);

        var csv = await _factory.Api("review").GetAsync("/v1/banks/lists/export");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal("lists.csv", csv.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var rows = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("signal_type,signal_str,collab,category,tags", rows[0], StringComparison.Ordinal);
        Assert.StartsWith($"pdq,{Pdq1},", rows[1], StringComparison.Ordinal);

        var exported = await admin.GetAsync("/v1/banks/lists/export?format=tat-json");
        Assert.Equal("application/json", exported.Content.Headers.ContentType?.MediaType);
        await CreateBankAsync("copy");
        var roundTrip = await ImportAsync(admin, "copy", await exported.Content.ReadAsStringAsync(), "lists.json");
        Assert.Equal(1, (await roundTrip.JsonAsync()).GetProperty("added").GetInt32());
        var copied = Assert.Single((await (await admin.GetAsync("/v1/banks/copy/entries")).JsonAsync()).GetProperty("items").EnumerateArray());
        Assert.Equal("terrorism.emblem", copied.GetProperty("labels").GetProperty("category").GetString());
        await (await admin.GetAsync("/v1/banks/lists/export?format=pdf")).ProblemAsync(400);

        var audit = await BankAuditAsync();
        var imports = audit.Where(e => e.GetProperty("action").GetString() == "bank.imported").ToList();
        Assert.Equal(3, imports.Count);
        Assert.Equal(("plain", "list.txt", 2), (imports[0].GetProperty("details").GetProperty("format").GetString(), imports[0].GetProperty("details").GetProperty("file").GetString(), imports[0].GetProperty("details").GetProperty("added").GetInt32()));
        Assert.Equal((1, 1), (imports[1].GetProperty("details").GetProperty("removed").GetInt32(), imports[1].GetProperty("details").GetProperty("bad_rows").GetInt32()));
        Assert.Equal("bank:copy", imports[2].GetProperty("subject").GetString());
        Assert.True((await _factory.Services.GetRequiredService<AuditTrail>().VerifyAsync(CancellationToken.None)).Ok);
    }

    [Fact]
    public async Task Imports_tell_the_format_from_the_content_and_say_how_to_name_one()
    {
        var admin = _factory.Api("admin");
        await CreateBankAsync("own");

        // vigil hash's output saved as hashes.csv is a plain list, not a ThreatExchange CSV.
        var own = await (await ImportAsync(admin, "own", $"{Pdq1},100,photos/x.jpg\n", "hashes.csv")).JsonAsync();
        Assert.Equal(("plain", 1, 0), (own.GetProperty("format").GetString(), own.GetProperty("added").GetInt32(), own.GetProperty("bad_rows").GetInt32()));
        var te = await (await ImportAsync(admin, "own", $"signal_type,signal_str\nmd5,{Md5}\n", "list.txt")).JsonAsync();
        Assert.Equal(("te-csv", 1), (te.GetProperty("format").GetString(), te.GetProperty("added").GetInt32()));

        string problem = await (await ImportAsync(admin, "own", "id;hash\n1;zzzz\n", "odd.csv")).ProblemAsync(400);
        Assert.Contains("read as plain (format auto, from its content", problem, StringComparison.Ordinal);
        Assert.Contains("name the file's with the form field 'format'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_requests_get_problem_json_saying_what_is_wrong()
    {
        var admin = _factory.Api("admin");
        await CreateBankAsync("b");
        Assert.Contains("exists already", await (await admin.PostRawAsync("/v1/banks", """{"name":"B"}""")).ProblemAsync(409), StringComparison.Ordinal);
        Assert.Contains("may only hold", await (await admin.PostRawAsync("/v1/banks", """{"name":"no spaces"}""")).ProblemAsync(400), StringComparison.Ordinal);
        Assert.Contains("'name' is required", await (await admin.PostRawAsync("/v1/banks", "{}")).ProblemAsync(400), StringComparison.Ordinal);
        Assert.Contains("0-63", await (await admin.PostRawAsync("/v1/banks", """{"name":"c","pdq_threshold":99}""")).ProblemAsync(400), StringComparison.Ordinal);
        Assert.Contains("unknown field 'colour'", await (await admin.PostRawAsync("/v1/banks", """{"name":"c","colour":1}""")).ProblemAsync(400), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("true or false", await (await admin.PostRawAsync("/v1/banks", """{"name":"c","enabled":"yes"}""")).ProblemAsync(400), StringComparison.Ordinal);
        Assert.Contains("not valid JSON", await (await admin.PostRawAsync("/v1/banks", "{")).ProblemAsync(400), StringComparison.Ordinal);
        await (await admin.PostRawAsync("/v1/banks", "name=c", "application/x-www-form-urlencoded")).ProblemAsync(415);
        await (await SendRawAsync(admin, HttpMethod.Patch, "/v1/banks/b", """{"name":"renamed"}""")).ProblemAsync(400);
        await (await SendRawAsync(admin, HttpMethod.Patch, "/v1/banks/nope", """{"enabled":false}""")).ProblemAsync(404);
        await (await admin.GetAsync("/v1/banks/nope")).ProblemAsync(404);
        await (await admin.GetAsync("/v1/banks/nope/entries")).ProblemAsync(404);
        await (await admin.GetAsync("/v1/banks/b/entries?limit=0")).ProblemAsync(400);
        await (await admin.PostAsync("/v1/banks/nope/disable", null)).ProblemAsync(404);
        await (await admin.DeleteAsync($"/v1/banks/b/entries/crc32/{Md5}")).ProblemAsync(400);
        await (await admin.DeleteAsync("/v1/banks/b/entries/md5/xyz")).ProblemAsync(400);
        await (await admin.PostRawAsync("/v1/banks/nope/entries", $$"""[{"signal_type":"md5","value":"{{Md5}}"}]""")).ProblemAsync(404);
        Assert.Contains("non-empty JSON array", await (await admin.PostRawAsync("/v1/banks/b/entries", "[]")).ProblemAsync(400), StringComparison.Ordinal);
        Assert.Contains("non-empty JSON array", await (await admin.PostRawAsync("/v1/banks/b/entries", "{}")).ProblemAsync(400), StringComparison.Ordinal);

        // Every element bad: nothing is added, and each is named by its index.
        var none = await admin.PostRawAsync("/v1/banks/b/entries", """[{"signal_type":"text","value":"x"},7,{"signal_type":"md5","value":"0123456789abcdef0123456789abcdef","labels":{"category":"nope"}},{"value":"ab"}]""");
        Assert.Contains("None of the 4 entries", await none.ProblemAsync(400), StringComparison.Ordinal);
        var problems = JsonDocument.Parse(await none.Content.ReadAsStringAsync()).RootElement.GetProperty("problems").EnumerateArray()
            .Select(p => (p.GetProperty("index").GetInt32(), p.GetProperty("problem").GetString()!)).ToList();
        Assert.Equal([0, 1, 2, 3], problems.Select(p => p.Item1));
        Assert.Contains("unknown signal type 'text'", problems[0].Item2, StringComparison.Ordinal);
        Assert.Contains("JSON object", problems[1].Item2, StringComparison.Ordinal);
        Assert.Contains("unknown category 'nope'", problems[2].Item2, StringComparison.Ordinal);
        Assert.Contains("'signal_type' is required", problems[3].Item2, StringComparison.Ordinal);
        Assert.Equal(0, Counts(await (await admin.GetAsync("/v1/banks/b")).JsonAsync()).Total);
        Assert.DoesNotContain(await BankAuditAsync(), e => e.GetProperty("action").GetString() != "bank.created");
    }

    [Fact]
    public async Task Bank_bodies_over_the_request_limit_get_413()
    {
        using var small = new VigilFactory(new() { ["Vigil:MaxRequestBytes"] = "4096" });
        await small.SeedAsync();
        var admin = small.Api("admin");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostRawAsync("/v1/banks", """{"name":"b"}""")).StatusCode);
        string entries = "[" + string.Join(',', Enumerable.Range(0, 100).Select(i => $$"""{"signal_type":"md5","value":"{{i:x32}}"}""")) + "]";
        Assert.Contains("4096", await (await admin.PostRawAsync("/v1/banks/b/entries", entries)).ProblemAsync(413), StringComparison.Ordinal);
        string list = string.Join('\n', Enumerable.Range(0, 200).Select(i => $"{i:x32}"));
        await (await ImportAsync(admin, "b", list, "list.txt")).ProblemAsync(413);
        Assert.Equal(0, Counts(await (await admin.GetAsync("/v1/banks/b")).JsonAsync()).Total);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_bank_endpoints()
    {
        var document = await (await _factory.Api("review").GetAsync("/openapi/v1.json")).JsonAsync();
        var paths = document.GetProperty("paths");
        foreach (var (path, method) in new[]
        {
            ("/v1/banks", "get"), ("/v1/banks", "post"), ("/v1/banks/{name}", "get"), ("/v1/banks/{name}", "patch"), ("/v1/banks/{name}/enable", "post"),
            ("/v1/banks/{name}/disable", "post"), ("/v1/banks/{name}/entries", "get"), ("/v1/banks/{name}/entries", "post"),
            ("/v1/banks/{name}/entries/{signal_type}/{value}", "delete"), ("/v1/banks/{name}/import", "post"), ("/v1/banks/{name}/export", "get"),
        })
        {
            Assert.True(paths.TryGetProperty(path, out var item) && item.TryGetProperty(method, out _), $"{method} {path} is not documented");
        }

        var import = paths.GetProperty("/v1/banks/{name}/import").GetProperty("post");
        Assert.True(import.GetProperty("requestBody").GetProperty("content").TryGetProperty("multipart/form-data", out _));
        var add = paths.GetProperty("/v1/banks/{name}/entries").GetProperty("post");
        Assert.True(add.GetProperty("responses").TryGetProperty("400", out _));
    }

    private async Task<JsonElement> CreateBankAsync(string name, string? body = null)
    {
        var response = await _factory.Api("admin").PostRawAsync("/v1/banks", body ?? $$"""{"name":"{{name}}"}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/v1/banks/{name}", response.Headers.Location?.OriginalString);
        return await response.JsonAsync();
    }

    private static async Task<string?> UploadVerdictAsync(HttpClient ingest, string contentId)
    {
        var response = await ingest.PostJsonAsync("/v1/content", new { ImageBase64 = Convert.ToBase64String(Fixtures.Png), ContentId = contentId });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("result").GetProperty("verdict").GetString();
    }

    [Fact]
    public async Task Texts_imported_as_documents_flag_edited_re_posts_and_keep_no_text()
    {
        var admin = _factory.Api("admin");
        await CreateBankAsync("texts");
        const string statement = "The annual gardening club meeting will be held in the community hall on Tuesday evening and all members are welcome to attend";
        var imported = await (await ImportAsync(admin, "texts", statement + "\n", "statements.txt", ("format", "documents"), ("category", "terrorism.propaganda"))).JsonAsync();
        Assert.Equal(("documents", 2), (imported.GetProperty("format").GetString(), imported.GetProperty("added").GetInt32()));
        var entries = await (await admin.GetAsync("/v1/banks/texts/entries")).JsonAsync();
        Assert.Equal(["text_sha256", "text_minhash"], entries.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("signal_type").GetString()));
        Assert.DoesNotContain("gardening", entries.GetRawText(), StringComparison.Ordinal);

        var ingest = _factory.Api("ingest");
        var edited = await (await ingest.PostJsonAsync("/v1/content", new { Text = "the annual gardening club meeting is held in the community hall on tuesday evening, all new members are welcome to attend!", ContentId = "re-post" })).JsonAsync();
        var result = edited.GetProperty("result");
        Assert.NotEqual("clear", result.GetProperty("verdict").GetString());
        Assert.Contains("terrorism.propaganda", result.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.Contains(result.GetProperty("evidence").EnumerateArray(), e => e.GetProperty("signal").GetString() == "text_minhash");
        Assert.Equal(JsonValueKind.Object, edited.GetProperty("case").ValueKind);

        var exact = await (await ingest.PostJsonAsync("/v1/content", new { Text = statement.ToUpperInvariant().Replace(" ", "  ", StringComparison.Ordinal), ContentId = "exact" })).JsonAsync();
        Assert.Contains(exact.GetProperty("result").GetProperty("evidence").EnumerateArray(), e => e.GetProperty("signal").GetString() == "text_sha256");

        var unrelated = await (await ingest.PostJsonAsync("/v1/content", new { Text = "the chess club meets on thursday in the library, bring a board if you have one", ContentId = "other" })).JsonAsync();
        Assert.Equal("clear", unrelated.GetProperty("result").GetProperty("verdict").GetString());
    }

    private static Task<HttpResponseMessage> ImportAsync(HttpClient client, string bank, string file, string fileName, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(file)), "file", fileName);
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        return client.PostAsync($"/v1/banks/{bank}/import", form);
    }

    private static Task<HttpResponseMessage> SendRawAsync(HttpClient client, HttpMethod method, string url, string json)
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return client.SendAsync(new HttpRequestMessage(method, url) { Content = content });
    }

    /// <summary>The bank entries of the audit log, oldest first.</summary>
    private async Task<List<JsonElement>> BankAuditAsync()
    {
        var entries = await (await _factory.Api("admin").GetAsync("/v1/audit?limit=1000")).JsonAsync();
        return [.. entries.EnumerateArray().Where(e => e.GetProperty("action").GetString()!.StartsWith("bank.", StringComparison.Ordinal)).Reverse()];
    }

    private static (long Pdq, long Md5, long Sha256, long Total) Counts(JsonElement bank)
    {
        var e = bank.GetProperty("entries");
        return (e.GetProperty("pdq").GetInt64(), e.GetProperty("md5").GetInt64(), e.GetProperty("sha256").GetInt64(), e.GetProperty("total").GetInt64());
    }
}
