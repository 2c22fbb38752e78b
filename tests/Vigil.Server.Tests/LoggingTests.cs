using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vigil.Server.Tests;

/// <summary>What the service logs per request: one information line, in category <c>Vigil.Requests</c>.</summary>
public sealed class LoggingTests : IAsyncLifetime, IDisposable
{
    private const string Category = "Vigil.Requests";

    private readonly LogCapture _log = new();
    private readonly VigilFactory _factory;

    public LoggingTests() => _factory = new VigilFactory(services: s => s.AddSingleton<ILoggerProvider>(_log));

    public async Task InitializeAsync() => await _factory.SeedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Each_request_logs_one_information_line_with_method_path_status_time_and_who()
    {
        var ingest = _factory.Api("ingest");
        _ = await ingest.GetAsync("/health"); // the first request warms up what logs once per process
        string keyId = _factory.Keys["ingest"].Split('_')[1];

        var lines = await RequestLinesAsync(() => ingest.PostJsonAsync("/v1/classify", new { Text = Fixtures.ClearText }));
        Assert.True(lines.Count == 1, string.Join("\n", lines));
        var line = lines[0];
        Assert.Equal(Category, line.Category);
        Assert.Matches($@"^POST /v1/classify 200 \d+\.\d ms key:{keyId}$", line.Message);

        var anonymous = Assert.Single(await RequestLinesAsync(() => _factory.Api(null).GetAsync("/v1/cases")));
        Assert.Matches(@"^GET /v1/cases 401 \d+\.\d ms anonymous$", anonymous.Message);
    }

    /// <summary>The information (and higher) lines logged while <paramref name="send"/> runs, once the request's own line is in.</summary>
    private async Task<IReadOnlyList<LogCapture.Entry>> RequestLinesAsync(Func<Task<HttpResponseMessage>> send)
    {
        int before = _log.Entries.Count;
        _ = await send();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!_log.Entries.Skip(before).Any(e => e.Category == Category) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await Task.Delay(200); // what the host logs after the middleware has returned
        return [.. _log.Entries.Skip(before).Where(e => e.Level >= LogLevel.Information)];
    }

    private sealed class LogCapture : ILoggerProvider
    {
        public sealed record Entry(string Category, LogLevel Level, string Message);

        public ConcurrentQueue<Entry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(LogCapture capture, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                capture.Entries.Enqueue(new Entry(category, logLevel, formatter(state, exception)));
        }
    }
}
