using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Vigil.Server.Tests;

public sealed class CrashTests
{
    [Fact]
    public async Task After_a_SIGKILL_mid_submission_every_acknowledged_item_is_there_and_the_audit_chain_verifies()
    {
        string database = Path.Combine(Path.GetTempPath(), $"vigil-crash-{Guid.NewGuid():N}.db");
        try
        {
            var key = await VigilCli.RunAsync(null, "key", "create", "--name", "crash-test", "--scope", "ingest", "--db", database);
            Assert.Equal(0, key.ExitCode);
            string secret = key.Stdout.Trim();

            var acknowledged = new ConcurrentDictionary<long, string>();
            await using (var server = await ServerProcess.StartAsync(database))
            {
                using var client = new HttpClient { BaseAddress = server.Address };
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
                using var stop = new CancellationTokenSource();
                int sent = 0;
                var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        int n = Interlocked.Increment(ref sent);
                        string text = n % 2 == 0 ? $"{Fixtures.ReviewText} #{n}" : $"{Fixtures.ClearText} #{n}";
                        try
                        {
                            var response = await client.PostAsJsonAsync("/v1/content", new Dictionary<string, string> { ["text"] = text, ["content_id"] = $"c-{n}" });
                            if (response.StatusCode == HttpStatusCode.Created)
                            {
                                var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                                acknowledged[body.GetProperty("id").GetInt64()] = text; // acknowledged: must survive
                            }
                        }
                        catch (HttpRequestException)
                        {
                            return; // the server is gone
                        }
                    }
                })).ToList();

                var deadline = DateTime.UtcNow.AddSeconds(30);
                while (acknowledged.Count < 150 && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(20);
                }

                server.Kill(); // SIGKILL while the writers are still submitting
                await stop.CancelAsync();
                await Task.WhenAll(writers);
                Assert.True(sent > acknowledged.Count, "the kill must land while requests are in flight");
            }

            Assert.True(acknowledged.Count >= 100, $"only {acknowledged.Count} submissions were acknowledged before the kill");
            await using (var restarted = await ServerProcess.StartAsync(database))
            {
                var read = await VigilCli.RunAsync(null, "key", "create", "--name", "reader", "--scope", "review", "--db", database);
                using var client = new HttpClient { BaseAddress = restarted.Address };
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", read.Stdout.Trim());
                foreach (var (id, text) in acknowledged)
                {
                    var response = await client.GetAsync($"/v1/content/{id}");
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    var item = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                    Assert.Equal(text, item.GetProperty("text").GetString());
                    bool review = text.StartsWith(Fixtures.ReviewText, StringComparison.Ordinal);
                    Assert.Equal(review, item.GetProperty("case").ValueKind == JsonValueKind.Object); // the case committed with its item
                }
            }

            var verify = await VigilCli.RunAsync(null, "audit", "verify", "--db", database);
            Assert.True(verify.ExitCode == 0, verify.Stdout + verify.Stderr);
            Assert.Contains("audit log verified", verify.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            VigilFactory.DeleteDatabase(database);
        }
    }

    [Fact]
    public async Task Audit_verify_reports_the_first_broken_link_with_a_non_zero_exit()
    {
        string database = Path.Combine(Path.GetTempPath(), $"vigil-audit-{Guid.NewGuid():N}.db");
        try
        {
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(0, (await VigilCli.RunAsync(null, "key", "create", "--name", $"k{i}", "--scope", "review", "--db", database)).ExitCode);
            }

            Assert.Equal(0, (await VigilCli.RunAsync(null, "audit", "verify", "--db", database)).ExitCode);
            await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False"))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'someone' WHERE seq = 2;";
                await command.ExecuteNonQueryAsync();
            }

            var broken = await VigilCli.RunAsync(null, "audit", "verify", "--db", database);
            Assert.Equal(4, broken.ExitCode);
            Assert.Contains("BROKEN at entry 2", broken.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            VigilFactory.DeleteDatabase(database);
        }
    }

    [Fact]
    public async Task User_add_and_first_run_hints()
    {
        string database = Path.Combine(Path.GetTempPath(), $"vigil-users-{Guid.NewGuid():N}.db");
        try
        {
            var weak = await VigilCli.RunAsync("short\n", "user", "add", "ann", "--role", "admin", "--password-stdin", "--db", database);
            Assert.Equal(2, weak.ExitCode);
            Assert.Contains("12 characters", weak.Stderr, StringComparison.Ordinal);
            var added = await VigilCli.RunAsync("a long enough password\n", "user", "add", "ann", "--role", "admin", "--password-stdin", "--db", database);
            Assert.Equal(0, added.ExitCode);
            Assert.Equal(2, (await VigilCli.RunAsync("a long enough password\n", "user", "add", "ann", "--role", "moderator", "--password-stdin", "--db", database)).ExitCode);
            Assert.Contains("ann\tadmin", (await VigilCli.RunAsync(null, "user", "list", "--db", database)).Stdout, StringComparison.Ordinal);
            Assert.Equal(2, (await VigilCli.RunAsync(null, "key", "create", "--name", "x", "--scope", "root", "--db", database)).ExitCode);
        }
        finally
        {
            VigilFactory.DeleteDatabase(database);
        }
    }
}
