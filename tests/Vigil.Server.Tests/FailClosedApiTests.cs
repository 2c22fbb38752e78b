using System.Buffers.Binary;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Vigil.Core;
using Vigil.Core.Banks;
using Vigil.Moderation.Banks;

namespace Vigil.Server.Tests;

/// <summary>What cannot be analysed, and what a hash bank knows, never passes as clear through the API.</summary>
public sealed class FailClosedApiTests : IAsyncLifetime, IDisposable
{
    private readonly VigilFactory _factory = new();

    public async Task InitializeAsync() => await _factory.SeedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _factory.Dispose();

    private static byte[] Jpeg()
    {
        using var image = new Image<Rgb24>(96, 96);
        for (int y = 0; y < 96; y++)
        {
            for (int x = 0; x < 96; x++)
            {
                image[x, y] = new Rgb24((byte)(x * 2), (byte)(y * 2), (byte)((x + y) % 256));
            }
        }

        using var buffer = new MemoryStream();
        image.SaveAsJpeg(buffer);
        return buffer.ToArray();
    }

    /// <summary>The four ways an image may fail to decode that the issue names (a zero-byte file is refused before).</summary>
    public static TheoryData<string> Broken => ["truncated JPEG", "PNG with a bad CRC", "image bomb"];

    private static byte[] Make(string kind)
    {
        switch (kind)
        {
            case "truncated JPEG":
                var jpeg = Jpeg();
                return jpeg[..(jpeg.Length / 3)];
            case "PNG with a bad CRC":
                var png = Fixtures.Png.ToArray();
                int idat = png.AsSpan().IndexOf("IDAT"u8);
                png[idat + 6] ^= 0x55; // a byte of the compressed data: the chunk's CRC no longer holds
                return png;
            default:
                var bomb = Jpeg();
                for (int i = 2; i + 9 < bomb.Length; i++)
                {
                    if (bomb[i] == 0xFF && bomb[i + 1] is 0xC0 or 0xC2)
                    {
                        BinaryPrimitives.WriteUInt16BigEndian(bomb.AsSpan(i + 5), 65000); // 65000 x 65000 pixels declared
                        BinaryPrimitives.WriteUInt16BigEndian(bomb.AsSpan(i + 7), 65000);
                        return bomb;
                    }
                }

                throw new InvalidOperationException("no frame header");
        }
    }

    [Theory]
    [MemberData(nameof(Broken))]
    public async Task An_image_that_does_not_decode_goes_to_review_with_the_reason(string kind)
    {
        var ingest = _factory.Api("ingest");
        var response = await ingest.PostJsonAsync("/v1/content", new { ImageBase64 = Convert.ToBase64String(Make(kind)), ContentId = kind });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var content = await response.JsonAsync();
        var result = content.GetProperty("result");
        Assert.Equal(("review", "review"), (result.GetProperty("verdict").GetString(), result.GetProperty("action").GetString()));
        var evidence = result.GetProperty("evidence").EnumerateArray().Single(e => e.GetProperty("signal").GetString() == "media.unreadable");
        Assert.Contains("image 'upload' could not be analysed", evidence.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Object, content.GetProperty("case").ValueKind);

        var classified = await (await ingest.PostJsonAsync("/v1/classify", new { ImageBase64 = Convert.ToBase64String(Make(kind)) })).JsonAsync();
        Assert.Equal("review", classified.GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task A_zero_byte_image_is_refused_with_a_reason_and_nothing_is_stored()
    {
        var response = await _factory.Api("ingest").PostJsonAsync("/v1/content", new { ImageBase64 = "", Text = "caption" });
        Assert.NotEqual(HttpStatusCode.Created, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(await response.ProblemAsync((int)response.StatusCode)));
        Assert.Null(await _factory.Store.Content.GetAsync(1, CancellationToken.None));
    }

    [Fact]
    public async Task An_undecodable_image_is_still_matched_by_its_exact_hash()
    {
        byte[] truncated = Make("truncated JPEG");
        var banks = _factory.Services.GetRequiredService<HashBanks>();
        await banks.CreateAsync(new HashBank("tvec"), "test", CancellationToken.None);
        await banks.UpsertEntriesAsync("tvec", [new BankEntry("sha256", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(truncated)), new BankLabels(Category: "terrorism.propaganda"))], "test", CancellationToken.None);
        var result = (await (await _factory.Api("ingest").PostJsonAsync("/v1/content", new { ImageBase64 = Convert.ToBase64String(truncated) })).JsonAsync()).GetProperty("result");
        Assert.Equal("violating", result.GetProperty("verdict").GetString());
        Assert.Contains(result.GetProperty("evidence").EnumerateArray(), e => e.GetProperty("signal").GetString() == "sha256");
        Assert.Contains(result.GetProperty("evidence").EnumerateArray(), e => e.GetProperty("signal").GetString() == "media.unreadable");
    }

    [Theory]
    [InlineData(null, null, false, true, "review", "review")]              // no category: still reviewed
    [InlineData("terrorism.emblem", null, false, true, "violating", "hide_pending_review")]
    [InlineData(null, "remove", false, true, "review", "remove")]          // the bank asks for removal
    [InlineData(null, "escalate", false, true, "review", "escalate")]
    [InlineData(null, null, true, true, "clear", "allow")]                 // an allow-list vouches for it
    [InlineData("terrorism.emblem", "remove", false, false, "clear", "allow")] // a disabled bank is not matched
    public async Task A_bank_match_acts_and_its_verdict_agrees(string? category, string? onMatch, bool allowList, bool enabled, string verdict, string action)
    {
        var banks = _factory.Services.GetRequiredService<HashBanks>();
        await banks.CreateAsync(new HashBank("tvec", enabled, allowList) { OnMatch = onMatch is null ? null : ModerationActionNames.Parse(onMatch) }, "test", CancellationToken.None);
        string sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Fixtures.Png));
        await banks.UpsertEntriesAsync("tvec", [new BankEntry("sha256", sha, new BankLabels(Category: category))], "test", CancellationToken.None);

        var content = await (await _factory.Api("ingest").PostJsonAsync("/v1/content", new { ImageBase64 = Convert.ToBase64String(Fixtures.Png), ContentId = "banked" })).JsonAsync();
        var result = content.GetProperty("result");
        Assert.Equal((verdict, action), (result.GetProperty("verdict").GetString(), result.GetProperty("action").GetString()));
        Assert.Equal(verdict != "clear", content.GetProperty("case").ValueKind == JsonValueKind.Object); // every restriction leaves a case
        if (onMatch is not null && enabled)
        {
            Assert.Equal("bank tvec", result.GetProperty("rule").GetString());
        }
    }
}
