using Microsoft.Data.Sqlite;
using Vigil.Moderation.Audit;
using Vigil.Storage.Audit;

namespace Vigil.Storage.Tests;

public sealed class AuditChainTests
{
    [Theory]
    [InlineData("UPDATE audit_log SET details = '{\"reason\":\"changed\"}' WHERE seq = 2;", 2, "was changed")]
    [InlineData("DELETE FROM audit_log WHERE seq = 2;", 3, "missing")]
    [InlineData("UPDATE audit_log SET prev_hash = hash WHERE seq = 3;", 3, "previous hash")]
    public async Task Tampering_is_reported_at_the_first_broken_link(string tamper, long brokenAt, string problem)
    {
        await using var temp = await TempStore.CreateAsync();
        for (int i = 0; i < 4; i++)
        {
            await new AuditTrail(temp.Store, temp.Clock).RecordAsync(new AuditRecord("cli", "test", $"thing:{i}", """{"reason":"x"}"""), CancellationToken.None);
        }

        await using (var connection = new SqliteConnection($"Data Source={temp.DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; {tamper}";
            await command.ExecuteNonQueryAsync();
        }

        var verification = await new AuditTrail(temp.Store, temp.Clock).VerifyAsync(CancellationToken.None);
        Assert.False(verification.Ok);
        Assert.Equal(brokenAt, verification.BrokenAt);
        Assert.Contains(problem, verification.Problem, StringComparison.Ordinal);
    }
}
