using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Vigil.Core.Banks;
using Vigil.Moderation;
using Vigil.Moderation.Audit;
using Vigil.Moderation.Banks;
using Vigil.Storage.Cases;
using Vigil.Storage.Contract;
using Vigil.Storage.Sqlite;

namespace Vigil.Storage.Tests;

/// <summary>
/// A database made by the release before the storage contract (d751b96: `vigil user add`, `key create`, `bank create`
/// with PDQ settings, `bank import`, then `vigil serve` with a webhook, a submission with an image, a case claimed and
/// decided) opens with today's schema and keeps everything.
/// </summary>
public sealed class MigrationTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"vigil-migrate-{Guid.NewGuid():N}.db");
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero));

    public Task InitializeAsync()
    {
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "made-by-d751b96.db"), _path);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_database_of_the_previous_release_keeps_everything()
    {
        await using var store = await SqliteVigilStore.OpenAsync(_path, _clock);
        Assert.Equal("0110_parts_and_signal_types", store.AppliedMigrations[^1]);

        var withImage = (await store.Content.GetAsync(1, CancellationToken.None))!;
        Assert.Equal(("new release from amaq, share it", "p-1", "u-1"), (withImage.Text, withImage.PlatformContentId, withImage.AuthorId));
        var image = Assert.Single(withImage.Parts);
        Assert.Equal(("image", "image", "image/png", 277L), (image.Id, image.Type, image.MediaType, image.Length));
        Assert.Equal("c62dd856d0ea2a3d141cc101206e0f18f51f85d65073ae2c3b92fb44eebc3128", image.Sha256);
        Assert.Equal(277, (await store.Content.GetPartAsync(1, "image", CancellationToken.None))!.Value.Bytes.Length);
        Assert.Equal("review", withImage.Result.Verdict.Kind.ToString().ToLowerInvariant());
        Assert.Empty((await store.Content.GetAsync(2, CancellationToken.None))!.Parts);

        var decided = (await store.Cases.GetAsync(1, CancellationToken.None))!;
        Assert.Equal(CaseState.Closed, decided.State);
        Assert.Equal(ReviewDecision.Remove, Assert.Single(await store.Cases.ListDecisionsAsync(1, CancellationToken.None)).Value);

        var banks = await store.Banks.ListAsync(CancellationToken.None);
        Assert.Equal(["known-good", "tvec"], banks.Select(b => b.Name));
        Assert.True(banks[0].AllowList);
        Assert.True(banks[0].Settings.IsEmpty); // the defaults were not written out
        Assert.Equal("""{"threshold":20,"min_quality":60}""", banks[1].Settings.For("pdq")!.ToJsonString());
        Assert.Equal(new Dictionary<string, long> { ["md5"] = 1, ["pdq"] = 1 }, await store.Banks.CountEntriesAsync("tvec", CancellationToken.None));
        var entries = await store.Banks.GetEntriesAsync("tvec", CancellationToken.None).ToListAsync();
        Assert.All(entries, e => Assert.Equal(("terrorism.emblem", "Example Org"), (e.LabelsOrNone.Category, e.LabelsOrNone.Organisation)));

        Assert.Equal(("alice", Users.Role.Admin), ((await store.Users.ListAsync(CancellationToken.None)).Single().Username, (await store.Users.GetAsync("alice", CancellationToken.None))!.Role));
        Assert.Null(Assert.Single(await store.ApiKeys.ListAsync(CancellationToken.None)).RevokedAt);
        var hook = Assert.Single(await store.Webhooks.ListAsync(CancellationToken.None));
        Assert.Equal("decision.created", Assert.Single(await store.Webhooks.ListDeliveriesAsync(hook.Id, 10, CancellationToken.None)).Event);

        var verification = await new AuditTrail(store, _clock).VerifyAsync(CancellationToken.None);
        Assert.True(verification.Ok, verification.Problem);
        Assert.True(verification.Entries >= 9);

        // The migrated banks work with today's signal types: a PDQ match at distance 20 is in, a text bank can be added.
        var hashBanks = new HashBanks(store, VigilSignalTypes.Default, _clock);
        var matcher = await hashBanks.LoadMatcherAsync(null, CancellationToken.None);
        Assert.Equal("pdq distance 0 of 20", Assert.Single(matcher.Match([new Core.Signals.ContentHash("pdq", entries[0].Value, 100)]).Matches).How);
        await hashBanks.CreateAsync(new HashBank("texts") { Settings = BankSettings.None.With("text_minhash", new JsonObject { ["threshold"] = 0.6 }) }, "test", CancellationToken.None);
        Assert.True((await new AuditTrail(store, _clock).VerifyAsync(CancellationToken.None)).Ok);
    }

    [Fact]
    public async Task A_database_of_a_newer_vigil_is_refused()
    {
        await using (var store = await SqliteVigilStore.OpenAsync(_path, _clock))
        {
        }

        await using (var connection = new SqliteConnection($"Data Source={_path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO schema_migrations (name, applied_at) VALUES ('9999_from_the_future', '2030-01-01');";
            await command.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => SqliteVigilStore.OpenAsync(_path, _clock));
        Assert.Contains("9999_from_the_future", error.Message, StringComparison.Ordinal);
        Assert.Contains("newer Vigil", error.Message, StringComparison.Ordinal);
    }
}
