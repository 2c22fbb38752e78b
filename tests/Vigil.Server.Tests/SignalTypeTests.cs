using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Signals;

namespace Vigil.Server.Tests;

/// <summary>A signal type defined only here: the first four bytes of an image file, in hex, matched exactly.</summary>
public sealed class ToyMagicSignalType : SignalType
{
    public override string Name => "toy_magic";

    public override string Description => "The first four bytes of a file (a test's toy).";

    public override IReadOnlyList<string> PartTypes { get; } = [Core.Content.PartTypes.Image];

    public override string? Normalize(string? value, out string normalized) => NormalizeHex(value, 8, out normalized);

    public override IEnumerable<ContentHash> Hash(PartView part) =>
        part.Part.Bytes.Length >= 4 ? [new ContentHash(Name, Convert.ToHexStringLower(part.Part.Bytes.Span[..4]))] : [];
}

/// <summary>Adding a signal type takes its class and one registration: banks of it are created, filled and matched through
/// the API without any change to Vigil's code.</summary>
public sealed class SignalTypeTests : IAsyncLifetime, IDisposable
{
    private readonly VigilFactory _factory = new(services: services => services.AddSingleton<SignalType, ToyMagicSignalType>());

    public async Task InitializeAsync() => await _factory.SeedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task A_bank_of_a_signal_type_registered_by_the_host_matches_through_the_api()
    {
        var admin = _factory.Api("admin");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJsonAsync("/v1/banks", new { Name = "magic" })).StatusCode);
        var added = await admin.PostRawAsync("/v1/banks/magic/entries", """[{"signal_type":"toy_magic","value":"89504E47","labels":{"category":"terrorism.emblem"}}]""");
        Assert.Equal(1, (await added.JsonAsync()).GetProperty("added").GetInt32());
        var bank = await (await admin.GetAsync("/v1/banks/magic")).JsonAsync();
        Assert.Equal(1, bank.GetProperty("entries").GetProperty("toy_magic").GetInt64());
        Assert.Equal(0, bank.GetProperty("entries").GetProperty("pdq").GetInt64());

        var response = await _factory.Api("ingest").PostJsonAsync("/v1/content", new { ImageBase64 = Convert.ToBase64String(Fixtures.Png), ContentId = "magic-1" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var content = await response.JsonAsync();
        var result = content.GetProperty("result");
        Assert.Equal("violating", result.GetProperty("verdict").GetString()); // an exact match of a certain entry
        Assert.Contains("terrorism.emblem", result.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        var evidence = result.GetProperty("evidence").EnumerateArray().Single(e => e.GetProperty("signal").GetString() == "toy_magic");
        Assert.Contains("bank 'magic' entry 1: toy_magic exact", evidence.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Object, content.GetProperty("case").ValueKind);

        var refused = await admin.PostRawAsync("/v1/banks/magic/entries", """[{"signal_type":"toy_magic","value":"not hex"}]""");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = (await refused.JsonAsync()).GetProperty("problems")[0].GetProperty("problem").GetString();
        Assert.Contains("toy_magic hash is 8 hex digits", problem, StringComparison.Ordinal);
    }
}
