using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Npgsql;

namespace Vigil.Server.Tests;

/// <summary>A test that needs the PostgreSQL server of <c>VIGIL_TEST_POSTGRES</c> (tools/test.sh starts one); skipped,
/// with the reason, without it.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (ScaleOutRun.PostgresSkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A test that needs both the PostgreSQL server of <c>VIGIL_TEST_POSTGRES</c> and the NATS server of
/// <c>VIGIL_TEST_NATS</c> (tools/test.sh starts both); skipped, with the reason, without them.</summary>
public sealed class PostgresNatsFactAttribute : FactAttribute
{
    public PostgresNatsFactAttribute()
    {
        if (ScaleOutRun.PostgresSkipReason is { } reason)
        {
            Skip = reason;
        }
        else if (NatsServer.Url is null)
        {
            Skip = NatsServer.SkipReason;
        }
    }
}

/// <summary>
/// The scale-out topology as plain processes, for the end-to-end tests: a fresh database on the PostgreSQL server of
/// <c>VIGIL_TEST_POSTGRES</c>, API keys made with <c>vigil key create</c>, and <c>vigil serve</c> / <c>vigil worker</c>
/// processes started with <see cref="Environment"/> (shared cookie keys, a quick webhook poll, the test's loopback
/// receiver allowed, no per-key rate). Disposing kills what is still running and drops the database.
/// </summary>
internal sealed class ScaleOutRun : IAsyncDisposable
{
    public const string PostgresVariable = "VIGIL_TEST_POSTGRES";

    private readonly List<Process> _processes = [];
    private readonly string _server;
    private readonly string _name;

    private ScaleOutRun(string server, string name, string folder)
    {
        _server = server;
        _name = name;
        Folder = folder;
        Database = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        Environment = new Dictionary<string, string>
        {
            ["Vigil__WebhookPollInterval"] = "00:00:01",
            ["Vigil__WebhookRetryBase"] = "00:00:00.200",
            ["Vigil__Keys"] = Path.Combine(folder, "keys"), // processes that serve one site share the cookie keys
            ["Vigil__WebhookAllowedNetworks"] = "127.0.0.0/8", // the test's receiver is on loopback (refused by default)
            ["Vigil__ApiRequestsPerMinute"] = "0", // a test's few keys send everything: no per-key rate
        };
    }

    public static string? PostgresSkipReason => string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable(PostgresVariable))
        ? $"no PostgreSQL server: set {PostgresVariable} to a connection string to run it; tools/test.sh does"
        : null;

    /// <summary>The run's database (a connection string).</summary>
    public string Database { get; }

    /// <summary>A temporary folder of the run's own (deleted at the end).</summary>
    public string Folder { get; }

    /// <summary>The environment every process of the run starts with (change it before starting them).</summary>
    public Dictionary<string, string> Environment { get; }

    public static async Task<ScaleOutRun> CreateAsync(string prefix)
    {
        string server = new NpgsqlConnectionStringBuilder(System.Environment.GetEnvironmentVariable(PostgresVariable)) { Database = "postgres", Pooling = false }.ConnectionString;
        string name = $"{prefix}_{Guid.NewGuid():N}";
        await ExecuteAsync(server, $"CREATE DATABASE {name};");
        return new ScaleOutRun(server, name, Directory.CreateTempSubdirectory("vigil-e2e-").FullName);
    }

    /// <summary><c>vigil key create</c> on the run's database; returns the key.</summary>
    public async Task<string> CreateKeyAsync(string name, string scope)
    {
        var created = await VigilCli.RunAsync(null, "key", "create", "--name", name, "--scope", scope, "--db", Database);
        Assert.True(created.ExitCode == 0, created.Stderr);
        return created.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Single(l => l.StartsWith("vgl_", StringComparison.Ordinal));
    }

    /// <summary>Starts <c>vigil</c> with these arguments and the run's environment (its output is read and dropped).</summary>
    public Process Start(params string[] args)
    {
        var start = VigilCli.StartInfo(args);
        foreach (var (name, value) in Environment)
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
        lock (_processes)
        {
            _processes.Add(process);
        }

        return process;
    }

    /// <summary>Starts <c>vigil serve</c> on the run's database and a free loopback port (<paramref name="args"/> go after
    /// <c>--db</c>); returns the process and its address once <c>/health/ready</c> answers.</summary>
    public async Task<(Process Process, Uri Address)> StartServeAsync(params string[] args)
    {
        var serve = Start(["serve", "--urls", $"http://127.0.0.1:{VigilCli.FreePort()}", "--db", Database, .. args]);
        return (serve, await WaitListeningAsync(serve));
    }

    /// <summary>An API client of <paramref name="address"/> that sends <paramref name="key"/>.</summary>
    public static HttpClient Api(Uri address, string key)
    {
        var api = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return api;
    }

    /// <summary>Subscribes <paramref name="receiver"/> to <paramref name="events"/> (an admin client).</summary>
    public static async Task SubscribeAsync(HttpClient admin, WebhookReceiver receiver, params string[] events)
    {
        var created = await admin.PostJsonAsync("/v1/webhooks", new { Url = receiver.Url.AbsoluteUri, Events = events });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
    }

    /// <summary>A moderator's claim and decision through the API (a review client): the decision's id, or null when the
    /// claim was refused (409: another holds the case, or it is closed).</summary>
    public static async Task<long?> ClaimAndDecideAsync(HttpClient review, long caseId, string decision, string reason)
    {
        using var claim = await review.PostAsync($"/v1/cases/{caseId}/claim", null);
        if (claim.StatusCode == HttpStatusCode.Conflict)
        {
            return null;
        }

        Assert.True(claim.StatusCode == HttpStatusCode.OK, $"claim {caseId}: HTTP {(int)claim.StatusCode} {await claim.Content.ReadAsStringAsync()}");
        using var decided = await review.PostJsonAsync($"/v1/cases/{caseId}/decision", new { Decision = decision, Reason = reason });
        Assert.True(decided.StatusCode == HttpStatusCode.Created, $"decide {caseId}: HTTP {(int)decided.StatusCode} {await decided.Content.ReadAsStringAsync()}");
        return (await decided.JsonAsync()).GetProperty("id").GetInt64();
    }

    /// <summary>The ids of open cases, highest priority first (a review client).</summary>
    public static async Task<List<long>> OpenCasesAsync(HttpClient review, int limit)
    {
        var page = await (await review.GetAsync($"/v1/cases?state=open&limit={limit}")).JsonAsync();
        return [.. page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetInt64())];
    }

    /// <summary>The deliveries of one event by their <c>Vigil-Delivery</c> id, with the parsed payloads.</summary>
    public static ILookup<long, JsonElement> DeliveriesOf(WebhookReceiver receiver, string eventName) => receiver.Deliveries
        .Where(d => d.Headers["Vigil-Event"] == eventName)
        .ToLookup(d => long.Parse(d.Headers["Vigil-Delivery"], CultureInfo.InvariantCulture), d => JsonDocument.Parse(d.Body).RootElement.Clone());

    /// <summary>Waits until every webhook delivery in the outbox was delivered (none pending, none given up).</summary>
    public async Task WaitOutboxDeliveredAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        long pending;
        while ((pending = await ScalarAsync("SELECT count(*) FROM webhook_outbox WHERE delivered_at IS NULL;")) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{pending} webhook deliveries still undelivered after {timeout.TotalSeconds} s");
            await Task.Delay(250);
        }
    }

    /// <summary>Waits for <c>vigil serve</c>'s <c>/health/ready</c>.</summary>
    public static async Task<Uri> WaitListeningAsync(Process serve)
    {
        var address = new Uri(serve.StartInfo.ArgumentList[serve.StartInfo.ArgumentList.IndexOf("--urls") + 1]);
        await VigilCli.WaitAnswersAsync(serve, address, "/health/ready", TimeSpan.FromSeconds(120));
        return address;
    }

    /// <summary>SIGTERM, as a service manager stops a process; waits for it to exit.</summary>
    public static async Task StopGracefullyAsync(Process process)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
    }

    /// <summary><c>vigil audit verify</c> on the run's database must pass.</summary>
    public async Task AssertAuditVerifiesAsync()
    {
        var verify = await VigilCli.RunAsync(null, "audit", "verify", "--db", Database);
        Assert.True(verify.ExitCode == 0, verify.Stdout + verify.Stderr);
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Database) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>The first column of every row.</summary>
    public async Task<List<T>> ColumnAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Database) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<T>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetFieldValue<T>(0));
        }

        return values;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(_server, $"DROP DATABASE IF EXISTS {_name} WITH (FORCE);");
        Directory.Delete(Folder, recursive: true);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
