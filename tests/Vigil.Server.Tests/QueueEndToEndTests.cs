using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Npgsql;

namespace Vigil.Server.Tests;

/// <summary>A test that needs both the PostgreSQL server of <c>VIGIL_TEST_POSTGRES</c> and the NATS server of
/// <c>VIGIL_TEST_NATS</c> (tools/test.sh starts both); skipped, with the reason, without them.</summary>
public sealed class PostgresNatsFactAttribute : FactAttribute
{
    public PostgresNatsFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("VIGIL_TEST_POSTGRES")))
        {
            Skip = "no PostgreSQL server: set VIGIL_TEST_POSTGRES to a connection string to run it; tools/test.sh does";
        }
        else if (NatsServer.Url is null)
        {
            Skip = NatsServer.SkipReason;
        }
    }
}

/// <summary>
/// The scale-out topology as plain processes: one <c>vigil serve --queue</c> and three <c>vigil worker</c> on one
/// PostgreSQL database and one NATS server. Submissions (text, some with an image) go in while one worker is killed
/// with SIGKILL and another is stopped and started again. Afterwards every accepted item has exactly one result, no
/// item has two cases, every <c>content.assessed</c> event reached the receiver (a repeated delivery with the same
/// <c>Vigil-Delivery</c> id), and the audit chain verifies. The number of submissions is <c>VIGIL_E2E_ITEMS</c>
/// (default 600, what CI runs on two cores; the 5,000 with <c>VIGIL_E2E_ITEMS=5000</c>).
/// </summary>
public class QueueEndToEndTests
{
    private const int DefaultItems = 600;

    [PostgresNatsFact]
    public async Task Serve_and_three_workers_assess_every_accepted_item_once_through_a_kill_and_a_restart()
    {
        int items = int.TryParse(Environment.GetEnvironmentVariable("VIGIL_E2E_ITEMS"), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : DefaultItems;
        var server = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("VIGIL_TEST_POSTGRES")) { Database = "postgres", Pooling = false };
        string database = $"vigil_e2e_{Guid.NewGuid():N}";
        await ExecuteAsync(server.ConnectionString, $"CREATE DATABASE {database};");
        string db = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = database }.ConnectionString;
        var processes = new List<Process>();
        string folder = Directory.CreateTempSubdirectory("vigil-e2e-").FullName;
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["Vigil__QueueName"] = NatsServer.QueueName(),
                ["Vigil__QueueAckWait"] = "00:00:05", // a killed worker's messages come back after 5 s
                ["Vigil__WebhookPollInterval"] = "00:00:01",
                ["Vigil__WebhookRetryBase"] = "00:00:00.200",
                ["Vigil__Keys"] = Path.Combine(folder, "keys"),
                ["Vigil__WebhookAllowedNetworks"] = "127.0.0.0/8", // the test's receiver is on loopback (refused by default)
                ["Vigil__ApiRequestsPerMinute"] = "0", // one ingest key submits every item: no per-key rate (600 a minute by default)
            };
            string ingestKey = CreateKey(db, "ingest");
            string adminKey = CreateKey(db, "admin");

            var serve = Start(processes, environment, "serve", "--urls", $"http://127.0.0.1:{FreePort()}", "--db", db, "--queue", NatsServer.Url!, "--embeddings", "off");
            var address = await WaitListeningAsync(serve);
            using var api = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
            await using var receiver = await WebhookReceiver.StartAsync();
            using (var hook = new HttpRequestMessage(HttpMethod.Post, "/v1/webhooks"))
            {
                hook.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
                hook.Content = new StringContent(JsonSerializer.Serialize(new { url = receiver.Url.AbsoluteUri, events = new[] { "content.assessed" } }), System.Text.Encoding.UTF8, "application/json");
                Assert.Equal(HttpStatusCode.Created, (await api.SendAsync(hook)).StatusCode);
            }

            string[] Worker() => ["worker", "--queue", NatsServer.Url!, "--db", db, "--embeddings", "off", "--parallel", "2"];
            var workers = new[] { Start(processes, environment, Worker()), Start(processes, environment, Worker()), Start(processes, environment, Worker()) };

            // Submit from 6 clients at once; 503 is retried after Retry-After, as a platform would.
            var accepted = new ConcurrentDictionary<long, string>();
            int next = -1;
            int killedAt = items / 3, restartedAt = 2 * items / 3;
            var killed = new TaskCompletionSource();
            var submitters = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
            {
                for (int i = Interlocked.Increment(ref next); i < items; i = Interlocked.Increment(ref next))
                {
                    string platformId = $"e2e-{i}";
                    long id = await SubmitAsync(api, ingestKey, platformId, i);
                    Assert.True(accepted.TryAdd(id, platformId), $"item {id} accepted twice");
                    if (i == killedAt)
                    {
                        workers[0].Kill(entireProcessTree: true); // SIGKILL: whatever it held comes back to the others
                        killed.TrySetResult();
                    }
                    else if (i == restartedAt)
                    {
                        await killed.Task;
                        await StopGracefullyAsync(workers[1]);
                        workers[1] = Start(processes, environment, Worker());
                    }
                }
            })).ToList();
            await Task.WhenAll(submitters);
            Assert.Equal(items, accepted.Count);

            // Wait for the workers to finish and the events to arrive.
            var deadline = DateTime.UtcNow.AddMinutes(Math.Max(5, items / 200.0));
            long pending;
            while ((pending = await ScalarAsync(db, "SELECT count(*) FROM content_items WHERE status = 'pending';")) > 0)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{pending} of {items} items still pending");
                Assert.False(serve.HasExited, "vigil serve exited");
                await Task.Delay(500);
            }

            var byContent = new Dictionary<long, HashSet<string>>();
            while (true)
            {
                byContent = receiver.Deliveries
                    .Select(d => (Id: JsonDocument.Parse(d.Body).RootElement.GetProperty("content").GetProperty("id").GetInt64(), Delivery: d.Headers["Vigil-Delivery"]))
                    .GroupBy(d => d.Id)
                    .ToDictionary(g => g.Key, g => g.Select(d => d.Delivery).ToHashSet());
                if (accepted.Keys.All(byContent.ContainsKey))
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline, $"content.assessed arrived for {byContent.Count} of {items} items");
                await Task.Delay(500);
            }

            // Every accepted item: one row, assessed, one content.assessed event (one outbox row), at most one case.
            Assert.Equal(items, await ScalarAsync(db, "SELECT count(*) FROM content_items;"));
            Assert.Equal(items, await ScalarAsync(db, "SELECT count(*) FROM content_items WHERE status = 'assessed';"));
            Assert.Equal(items, await ScalarAsync(db, "SELECT count(*) FROM webhook_outbox WHERE event = 'content.assessed';"));
            Assert.Equal(0, await ScalarAsync(db, "SELECT count(*) FROM (SELECT content_id FROM cases GROUP BY content_id HAVING count(*) > 1) AS twice;"));
            long cases = await ScalarAsync(db, "SELECT count(*) FROM cases;");
            Assert.True(cases > 0, "no case was opened: the review texts should open some");
            Assert.Equal(cases, await ScalarAsync(db, "SELECT count(*) FROM audit_log WHERE action = 'case.opened';"));
            Assert.All(byContent.Values, ids => Assert.Single(ids)); // redeliveries carry the same event id
            Assert.Equal(accepted.Keys.Order(), byContent.Keys.Order());

            var verify = await VigilCli.RunAsync(null, "audit", "verify", "--db", db);
            Assert.True(verify.ExitCode == 0, verify.Stdout + verify.Stderr);
        }
        finally
        {
            foreach (var process in processes)
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }

                process.Dispose();
            }

            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server.ConnectionString, $"DROP DATABASE IF EXISTS {database} WITH (FORCE);");
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Submits one item until it is accepted (202), retrying after 503; returns its id.</summary>
    private static async Task<long> SubmitAsync(HttpClient api, string key, string platformId, int i)
    {
        // Mostly short neutral or review texts; every 25th item with an image.
        string text = i % 3 == 0 ? Fixtures.ReviewText : $"{Fixtures.ClearText}, post {i}";
        object body = i % 25 == 0
            ? new { text, content_id = platformId, author_id = $"a-{i % 40}", image_base64 = Convert.ToBase64String(Fixtures.Png) }
            : new { text, content_id = platformId, author_id = $"a-{i % 40}" };
        for (int attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/content");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            request.Content = new StringContent(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
            using var response = await api.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable && attempt < 20)
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                continue;
            }

            Assert.True(response.StatusCode is HttpStatusCode.Accepted, $"{platformId}: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return (await response.JsonAsync()).GetProperty("id").GetInt64();
        }
    }

    private static string CreateKey(string db, string scope)
    {
        var created = VigilCli.RunAsync(null, "key", "create", "--name", $"e2e-{scope}", "--scope", scope, "--db", db).GetAwaiter().GetResult();
        Assert.True(created.ExitCode == 0, created.Stderr);
        return created.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Single(l => l.StartsWith("vgl_", StringComparison.Ordinal));
    }

    private static Process Start(List<Process> processes, Dictionary<string, string> environment, params string[] args)
    {
        var start = VigilCli.StartInfo(args);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        process.StandardInput.Close();
        var log = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (processes)
        {
            processes.Add(process);
        }

        return process;
    }

    private static async Task<Uri> WaitListeningAsync(Process serve)
    {
        string urls = serve.StartInfo.ArgumentList[serve.StartInfo.ArgumentList.IndexOf("--urls") + 1];
        var address = new Uri(urls);
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(serve.HasExited, $"vigil serve exited with {(serve.HasExited ? serve.ExitCode : 0)}");
            try
            {
                if ((await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return address;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("vigil serve was not ready within 120 s");
    }

    /// <summary>SIGTERM, as a service manager stops a process; waits for it to exit.</summary>
    private static async Task StopGracefullyAsync(Process process)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
    }

    private static async Task<long> ScalarAsync(string db, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
