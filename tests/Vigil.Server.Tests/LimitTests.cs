using System.Net.Http.Headers;

namespace Vigil.Server.Tests;

public sealed class LimitTests : IAsyncLifetime, IDisposable
{
    private readonly VigilFactory _factory = new(new()
    {
        ["Vigil:MaxRequestBytes"] = "65536",
        ["Vigil:MaxImageBytes"] = "8192",
        ["Vigil:MaxTextLength"] = "1000",
    });

    public async Task InitializeAsync() => await _factory.SeedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task A_body_over_the_limit_gets_413()
    {
        var ingest = _factory.Api("ingest");
        string big = $$"""{"text":"{{new string('a', 70_000)}}"}""";
        Assert.Contains("65536", await (await ingest.PostRawAsync("/v1/content", big)).ProblemAsync(413), StringComparison.Ordinal);
        Assert.Contains("65536", await (await ingest.PostRawAsync("/v1/classify", big)).ProblemAsync(413), StringComparison.Ordinal);

        // Without a Content-Length (chunked), the limit holds while reading.
        var chunked = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(big)));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        chunked.Headers.ContentLength = null;
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/content") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        await (await ingest.SendAsync(request)).ProblemAsync(413);
    }

    [Fact]
    public async Task Text_and_images_over_their_limits_get_413()
    {
        var ingest = _factory.Api("ingest");
        Assert.Contains("limit is 1000", await (await ingest.PostJsonAsync("/v1/content", new { Text = new string('a', 1001) })).ProblemAsync(413), StringComparison.Ordinal);

        byte[] large = new byte[9000];
        Fixtures.Png.CopyTo(large, 0);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(large), "image", "big.png" } };
        Assert.Contains("limit is 8192", await (await ingest.PostAsync("/v1/content", form)).ProblemAsync(413), StringComparison.Ordinal);
        Assert.Contains("8192", await (await ingest.PostJsonAsync("/v1/content", new { ImageBase64 = Convert.ToBase64String(large) })).ProblemAsync(413), StringComparison.Ordinal);

        using var small = new MultipartFormDataContent { { new ByteArrayContent(Fixtures.Png), "image", "ok.png" } };
        Assert.Equal(System.Net.HttpStatusCode.Created, (await ingest.PostAsync("/v1/content", small)).StatusCode);
    }
}
