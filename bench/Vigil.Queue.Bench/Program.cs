using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Vigil.Queue.Bench;

// Load generator of bench/queue.sh: submits real dev posts to a running `vigil serve` (with or without --queue), records
// when each item's content.assessed webhook arrives, and reports rates, latency, CPU per item and memory. The posts'
// text is never printed.
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine($"Vigil.Queue.Bench: {e.Message}");
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

var texts = LoadTexts(options.Data);
if (texts.Count == 0)
{
    Console.Error.WriteLine($"Vigil.Queue.Bench: no posts in {options.Data}/*/*.dev.jsonl");
    return 2;
}

int capacity = (int)Math.Min(20_000_000, (Math.Max(options.MaxRate, options.Rate) * options.Seconds * 2) + 10_000);
var log = new ItemLog(capacity, $"qb-{Guid.NewGuid():N}"[..12] + "-");
using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(30) };
using var api = new HttpClient(handler) { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(60) };
using var monitorClient = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
await using var receiver = await WebhookReceiver.StartAsync(log);
await RegisterWebhookAsync(api, options.AdminKey, receiver.Url);
var load = new Load(options, api, log, texts);
var probe = new ProcessProbe(options.Processes);
var nats = new NatsProbe(monitorClient, options.NatsMonitor);

// Warm-up: 5 s at 20/s, not counted (JIT, connection pools, the first webhook deliveries).
load.Rate = 20;
var warm = await load.SendAsync(5);
await load.DrainAsync(warm.First, warm.End);
log.Failures.Clear();

return options.Mode == "soak" ? await SoakAsync() : await FindAsync();

async Task<int> FindAsync()
{
    // Phase 1: the sustained rate. Every second the rate goes up 20% while the items waiting for their event are fewer
    // than LagMilliseconds' worth of the rate, and drops to 90% of the last second's completions when they are more.
    // The rate the workers keep up with is the events' rate over the second half.
    string loadBefore = ProcessProbe.LoadAverage();
    load.Rate = options.StartRate;
    long sentBase = log.Count, assessedBase = log.AssessedCount;
    using var control = new CancellationTokenSource();
    double halfAssessed = 0, halfSent = 0, halfAt = 0;
    int overTarget = 0; // seconds of the second half in which the backlog was over the target: the workers were the limit
    var controller = Task.Run(async () =>
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        long lastAssessed = log.AssessedCount;
        int second = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(control.Token))
            {
                second++;
                long assessed = log.AssessedCount;
                long completions = assessed - lastAssessed;
                lastAssessed = assessed;
                // Sent but neither failed nor assessed: waiting in the queue, or for the answer on the synchronous path.
                long backlog = log.Count - sentBase - (assessed - assessedBase) - log.Failures.Values.Sum();
                double target = Math.Max(options.MinBacklog, load.Rate * options.LagMilliseconds / 1000.0);
                load.Rate = backlog <= target ? load.Rate * 1.25 : Math.Max(1, completions * 0.9);
                if (backlog > target && second > options.Seconds / 2)
                {
                    overTarget++;
                }

                if (second == options.Seconds / 2)
                {
                    (halfAssessed, halfSent, halfAt) = (assessed, log.Count, log.Now);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    });
    var found = await load.SendAsync(options.Seconds);
    double endAt = log.Now;
    long endAssessed = log.AssessedCount, endSent = log.Count;
    await control.CancelAsync();
    await controller;
    double sustained = (endAssessed - halfAssessed) / ((endAt - halfAt) / 1000);
    double offered = (endSent - halfSent) / ((endAt - halfAt) / 1000);
    int foundMissing = await load.DrainAsync(found.First, found.End);
    var foundFailures = Snapshot(log.Failures);
    log.Failures.Clear();

    // Phase 2: latency and CPU at a fixed fraction of that rate.
    double rate = Math.Max(1, Math.Round(sustained * options.LatencyFraction));
    load.Rate = rate;
    var cpuBefore = probe.Take();
    var fixedRun = await load.SendAsync(options.Seconds);
    double keptUp = Sent(fixedRun) == 0 ? 0 : 1 - ((double)load.Outstanding(fixedRun.First, fixedRun.End) / Sent(fixedRun));
    int missing = await load.DrainAsync(fixedRun.First, fixedRun.End);
    var cpuAfter = probe.Take();
    var (assessedLatency, answeredLatency) = load.Latency(fixedRun.First, fixedRun.End);
    var failures = Snapshot(log.Failures);
    int accepted = Accepted(fixedRun);
    var dead = await DeadLettersAsync();
    string loadAfter = ProcessProbe.LoadAverage();

    Console.WriteLine($"== {options.Label}");
    Console.WriteLine($"parameters: --seconds {options.Seconds} --latency-fraction {options.LatencyFraction} --lag-ms {options.LagMilliseconds} --start-rate {options.StartRate}; {texts.Count} dev posts (mean {texts.Average(t => t.Length):0} characters), expect HTTP {options.Expect}");
    Console.WriteLine($"load average before {loadBefore}, after {loadAfter}");
    // A controller that never found the backlog over its target never found the limit: the figure is a lower bound.
    string bound = overTarget == 0 ? " (the backlog never reached its target: a lower bound; run longer)" : $" (backlog over its target in {overTarget} of the last {options.Seconds - (options.Seconds / 2)} s)";
    Console.WriteLine($"sustained: {sustained:0} items/s assessed (events received) over the second half of {options.Seconds} s, offered {offered:0}/s{bound}; {Sent(found)} sent, failures {Describe(foundFailures)}, {foundMissing} events missing after the drain");
    Console.WriteLine($"fixed rate {rate:0}/s for {options.Seconds} s: {Sent(fixedRun)} sent, {accepted} accepted, failures {Describe(failures)}; {keptUp:P1} of the events in when the sending stopped, {missing} missing after the drain; repeated events {log.Repeats}");
    Console.WriteLine($"  submit -> content.assessed: p50 {Percentiles.Ms(assessedLatency.P50)}, p90 {Percentiles.Ms(assessedLatency.P90)}, p99 {Percentiles.Ms(assessedLatency.P99)}, max {Percentiles.Ms(assessedLatency.Max)} ({assessedLatency.Count} items)");
    Console.WriteLine($"  submit -> HTTP answer:     p50 {Percentiles.Ms(answeredLatency.P50)}, p90 {Percentiles.Ms(answeredLatency.P90)}, p99 {Percentiles.Ms(answeredLatency.P99)}, max {Percentiles.Ms(answeredLatency.Max)}");
    if (dead is not null)
    {
        Console.WriteLine($"  queue: {dead}");
    }

    var cpu = CpuSplit(cpuBefore, cpuAfter, Math.Max(1, accepted));
    Console.WriteLine($"  CPU from the start of the fixed rate until its last event ({(cpuAfter.At - cpuBefore.At).TotalSeconds:0.0} s): {cpu.Detail}");
    int errors = foundFailures.Values.Sum() + failures.Values.Sum() + foundMissing + missing + (int)(dead?.DeadLetters ?? 0);
    Console.WriteLine($"ROW | {options.Label} | {sustained:0}{(overTarget == 0 ? " (lower bound)" : "")} | {rate:0} | {assessedLatency.Short} | {answeredLatency.Short} | {cpu.PerItem} | {cpu.Cores} | {errors} |");
    return errors == 0 ? 0 : 1;
}

async Task<int> SoakAsync()
{
    string loadBefore = ProcessProbe.LoadAverage();
    load.Rate = options.Rate;
    Console.WriteLine($"== {options.Label}: soak at {options.Rate:0}/s for {options.Seconds} s, a sample every {options.SampleSeconds} s; {texts.Count} dev posts; load average {loadBefore}");
    var memoryNames = options.Processes.Select(p => p.Name).ToList();
    Console.WriteLine($"| t (s) | sent | assessed | waiting for event | failures | stream msgs | stream bytes | dead letters | {string.Join(" | ", memoryNames.Select(n => $"RSS {n} (MiB)"))} | CPU cores: {string.Join(" / ", Groups(probe.Names))} | load avg |");
    Console.WriteLine($"|{string.Concat(Enumerable.Repeat("---|", 9 + memoryNames.Count))}");
    var firstRss = probe.Rss();
    var cpuStart = probe.Take();
    int first = log.Count;
    long maxStream = 0;
    var samples = new List<Dictionary<string, double>>();
    using var stop = new CancellationTokenSource();
    async Task SampleAsync(ProcessProbe.Snapshot previous, ProcessProbe.Snapshot current)
    {
        var streams = await nats.TakeAsync();
        var rss = probe.Rss();
        samples.Add(rss);
        maxStream = Math.Max(maxStream, streams?.ContentMessages ?? 0);
        double seconds = Math.Max(0.001, (current.At - previous.At).TotalSeconds);
        string cores = string.Join(" / ", Groups(probe.Names).Select(g => $"{GroupCpu(previous, current, g) / seconds:0.00}"));
        int sent = log.Count - first;
        long assessed = log.AssessedCount - warm.End;
        Console.WriteLine($"| {(current.At - cpuStart.At).TotalSeconds:0} | {sent} | {assessed} | {load.Outstanding(first, log.Count)} | {log.Failures.Values.Sum()} | {streams?.ContentMessages.ToString() ?? "?"} | {streams?.ContentBytes.ToString() ?? "?"} | {streams?.DeadMessages.ToString() ?? "?"} | {string.Join(" | ", memoryNames.Select(n => $"{rss[n]:0}"))} | {cores} | {ProcessProbe.LoadAverage()} |");
    }

    await SampleAsync(cpuStart, cpuStart);
    var previous = cpuStart;
    var sampler = Task.Run(async () =>
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.SampleSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                var current = probe.Take();
                await SampleAsync(previous, current);
                previous = current;
            }
        }
        catch (OperationCanceledException)
        {
        }
    });
    var run = await load.SendAsync(options.Seconds);
    await stop.CancelAsync();
    await sampler;
    await SampleAsync(previous, probe.Take()); // the end of sending (CPU since the last sample)
    int missing = await load.DrainAsync(run.First, run.End);
    var cpuEnd = probe.Take();
    var lastRss = probe.Rss();
    var (assessedLatency, answeredLatency) = load.Latency(run.First, run.End);
    var failures = Snapshot(log.Failures);
    var dead = await DeadLettersAsync();
    var streams = await nats.TakeAsync();
    int accepted = Accepted(run);

    Console.WriteLine();
    Console.WriteLine($"summary: {Sent(run)} sent at {options.Rate:0}/s for {options.Seconds} s, {accepted} accepted, failures {Describe(failures)}, {missing} events missing after the drain, repeated events {log.Repeats}");
    Console.WriteLine($"  submit -> content.assessed: p50 {Percentiles.Ms(assessedLatency.P50)}, p99 {Percentiles.Ms(assessedLatency.P99)}, max {Percentiles.Ms(assessedLatency.Max)}, mean {Percentiles.Ms(assessedLatency.Mean)}; HTTP answer p50 {Percentiles.Ms(answeredLatency.P50)}, p99 {Percentiles.Ms(answeredLatency.P99)}");
    foreach (string name in memoryNames)
    {
        var series = samples.Select(s => s[name]).Where(v => !double.IsNaN(v)).ToList();
        Console.WriteLine($"  RSS {name}: start {firstRss[name]:0} MiB, end of sending {samples[^1][name]:0} MiB, after the drain {lastRss[name]:0} MiB (min {series.DefaultIfEmpty(double.NaN).Min():0}, max {series.DefaultIfEmpty(double.NaN).Max():0})");
    }

    // Little's law: a stream that only holds the items in flight holds about rate x time in the queue.
    Console.WriteLine($"  stream: at most {maxStream} messages in the samples; the rate explains about {options.Rate * assessedLatency.Mean / 1000:0} (rate x mean submit-to-event time); {streams?.ContentMessages.ToString() ?? "?"} left after the drain, {streams?.DeadMessages.ToString() ?? "?"} dead letters");
    if (dead is not null)
    {
        Console.WriteLine($"  queue: {dead}");
    }

    var cpu = CpuSplit(cpuStart, cpuEnd, Math.Max(1, accepted));
    Console.WriteLine($"  CPU: {cpu.Detail}");
    Console.WriteLine($"  load average before {loadBefore}, after {ProcessProbe.LoadAverage()}");
    int errors = failures.Values.Sum() + missing + (int)(dead?.DeadLetters ?? 0) + (int)(streams?.DeadMessages ?? 0);
    return errors == 0 ? 0 : 1;
}

int Sent((int First, int End) run) => run.End - run.First;

int Accepted((int First, int End) run) => Enumerable.Range(run.First, Sent(run)).Count(i => log.Status(i) == options.Expect);

static Dictionary<string, int> Snapshot(System.Collections.Concurrent.ConcurrentDictionary<string, int> failures) => new(failures, StringComparer.Ordinal);

static string Describe(Dictionary<string, int> failures) => failures.Count == 0 ? "0" : string.Join(", ", failures.Select(f => $"{f.Value} {f.Key}"));

// worker1, worker2 -> worker: one group per name without its number.
static List<string> Groups(IEnumerable<string> names) => [.. names.Select(GroupOf).Distinct()];

static string GroupOf(string name) => Regex.Replace(name, "[0-9]+$", "", RegexOptions.NonBacktracking);

static double GroupCpu(ProcessProbe.Snapshot before, ProcessProbe.Snapshot after, string group) =>
    after.CpuSeconds.Where(c => GroupOf(c.Key) == group).Sum(c => c.Value - before.CpuSeconds.GetValueOrDefault(c.Key));

(string PerItem, string Cores, string Detail) CpuSplit(ProcessProbe.Snapshot before, ProcessProbe.Snapshot after, int items)
{
    var groups = Groups(probe.Names);
    double seconds = Math.Max(0.001, (after.At - before.At).TotalSeconds);
    var cpu = groups.ToDictionary(g => g, g => GroupCpu(before, after, g));
    double ours = cpu.Values.Sum();
    double machine = after.MachineBusySeconds - before.MachineBusySeconds;
    string perItem = string.Join(" / ", groups.Select(g => $"{cpu[g] * 1000 / items:0.00}")) + $" / **{ours * 1000 / items:0.00}**";
    string cores = $"{ours / seconds:0.00} of {machine / seconds:0.00}";
    string detail = string.Join(", ", groups.Select(g => $"{g} {cpu[g]:0.0} s = {cpu[g] * 1000 / items:0.00} ms/item ({cpu[g] / seconds:0.00} cores)"))
        + $"; these processes {ours / seconds:0.00} cores, the whole machine {machine / seconds:0.00} cores busy (the rest is other work on the machine)";
    return (perItem, cores, detail);
}

async Task<QueueState?> DeadLettersAsync()
{
    try
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/admin/dead-letters");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.AdminKey);
        using var response = await api.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        long Field(string name) => root.TryGetProperty(name, out var v) && v.TryGetInt64(out long n) ? n : 0;
        return new QueueState(Field("waiting"), Field("in_progress"), Field("redelivered"), Field("dead_letters"), Field("pending_items"));
    }
    catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException)
    {
        return null;
    }
}

static async Task RegisterWebhookAsync(HttpClient api, string adminKey, Uri url)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/webhooks");
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
    request.Content = new StringContent(JsonSerializer.Serialize(new { url = url.AbsoluteUri, events = (string[])["content.assessed"] }), Encoding.UTF8, "application/json");
    using var response = await api.SendAsync(request);
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"registering the webhook answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}

static List<string> LoadTexts(string data)
{
    var texts = new List<string>();
    if (!Directory.Exists(data))
    {
        return texts;
    }

    foreach (string file in Directory.EnumerateFiles(data, "*.dev.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
    {
        foreach (string line in File.ReadLines(file))
        {
            if (line.Length > 0 && JsonDocument.Parse(line).RootElement.TryGetProperty("text", out var text) && text.GetString() is { Length: > 0 } value)
            {
                texts.Add(value);
            }
        }
    }

    // The sets are in file order (long news first): shuffle once, the same way every run.
    var random = new Random(1);
    random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(texts));
    return texts;
}

internal sealed record QueueState(long Waiting, long InProgress, long Redelivered, long DeadLetters, long PendingItems)
{
    public override string ToString() =>
        $"waiting {Waiting}, in progress {InProgress}, redelivered {Redelivered}, dead letters {DeadLetters}, pending in the database {PendingItems}";
}
