using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Vigil.Server.Tests;

/// <summary>The service's image budget and its bounds on concurrent decodes and OCR (docs/service.md, "Images").</summary>
public sealed class MediaLimitTests : IAsyncLifetime, IDisposable
{
    private readonly VigilFactory _factory = new(new() { ["Vigil:MediaQueueWait"] = "00:00:00.050" });

    public async Task InitializeAsync() => await _factory.SeedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _factory.Dispose();

    private static byte[] SolidPng(int width, int height)
    {
        using var image = new Image<Rgb24>(width, height, new Rgb24(200, 40, 40));
        using var buffer = new MemoryStream();
        image.SaveAsPng(buffer);
        return buffer.ToArray();
    }

    [Fact]
    public void The_documented_defaults_are_those_in_force()
    {
        var options = new VigilServerOptions();
        Assert.Equal(40_000_000, options.MaxImagePixels);
        Assert.Equal(4_000_000, options.OcrMaxPixels);
        Assert.Equal(TimeSpan.FromSeconds(30), options.OcrTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.MediaQueueWait);
        Assert.Equal(Math.Clamp(Environment.ProcessorCount, 1, 4), options.MaxConcurrentDecodes);
        Assert.Equal(Math.Clamp(Environment.ProcessorCount, 1, 4), options.MaxConcurrentOcr);
        var top = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(top.FullName, "Vigil.slnx")))
        {
            top = top.Parent ?? throw new InvalidOperationException("not inside the repository");
        }

        string doc = File.ReadAllText(Path.Combine(top.FullName, "docs", "service.md"));
        foreach (var shown in new[] { "`MaxImagePixels` (40,000,000)", "`OcrMaxPixels` (4,000,000)", "`OcrTimeout` (30 s)", "`MediaQueueWait` (10 s)", "`MaxConcurrentDecodes`", "`MaxConcurrentOcr`" })
        {
            Assert.Contains(shown, doc, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_7000x7000_image_is_refused_before_decoding_and_goes_to_review_with_the_budget_named()
    {
        // 160 KB of PNG that would be 49 megapixels (147 MB of pixels) decoded: over the 40-megapixel budget, it is refused
        // from its header, before any pixel buffer exists; it is not clear but a case with the reason, its exact hashes kept.
        byte[] png = SolidPng(7000, 7000);
        Assert.True(png.Length < 10 * 1024 * 1024);
        var response = await _factory.Api("ingest").PostJsonAsync("/v1/content", new { ImageBase64 = Convert.ToBase64String(png), ContentId = "big" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var content = await response.JsonAsync();
        var result = content.GetProperty("result");
        Assert.Equal(("review", "review"), (result.GetProperty("verdict").GetString(), result.GetProperty("action").GetString()));
        var evidence = result.GetProperty("evidence").EnumerateArray().Select(e => (Signal: e.GetProperty("signal").GetString(), Detail: e.GetProperty("detail").GetString())).ToList();
        var unreadable = Assert.Single(evidence, e => e.Signal == "media.unreadable");
        Assert.Contains("image too large: The image declares 7000x7000 pixels, over the budget of 40000000", unreadable.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(evidence, e => e.Signal == "ocr"); // never decoded, never given to OCR
        Assert.Equal(JsonValueKind.Object, content.GetProperty("case").ValueKind);
        Assert.Equal(0, _factory.Services.GetRequiredService<MediaGates>().Decodes.Running);
    }

    [Fact]
    public async Task With_every_decode_slot_taken_an_image_gets_503_with_retry_after_and_nothing_is_stored()
    {
        var gates = _factory.Services.GetRequiredService<MediaGates>();
        var held = new List<Vigil.Core.Content.WorkGate.Slot>();
        for (int i = 0; i < gates.Decodes.Capacity; i++)
        {
            held.Add(await gates.Decodes.EnterAsync());
        }

        var ingest = _factory.Api("ingest");
        var image = Convert.ToBase64String(Fixtures.Png.ToArray());
        var response = await ingest.PostJsonAsync("/v1/content", new { ImageBase64 = image, ContentId = "busy" });
        Assert.Contains("image decodes already running", await response.ProblemAsync(503), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Null(await _factory.Store.Content.GetAsync(1, CancellationToken.None));
        await (await ingest.PostJsonAsync("/v1/classify", new { ImageBase64 = image })).ProblemAsync(503);

        // Text alone decodes nothing and is answered as usual; once a slot is free the image is too.
        Assert.Equal(HttpStatusCode.Created, (await ingest.PostJsonAsync("/v1/content", new { Text = "the garden club meets on Friday" })).StatusCode);
        held.ForEach(s => s.Dispose());
        Assert.Equal(HttpStatusCode.Created, (await ingest.PostJsonAsync("/v1/content", new { ImageBase64 = image, ContentId = "later" })).StatusCode);
    }
}
