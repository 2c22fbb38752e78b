using System.Globalization;

namespace Vigil.Queue.Bench;

/// <summary>What one run does; parsed from <c>--name value</c> pairs (bench/queue.sh passes them all).</summary>
internal sealed record BenchOptions
{
    public required Uri Url { get; init; }
    public required string IngestKey { get; init; }
    public required string AdminKey { get; init; }
    public required string Data { get; init; }

    /// <summary><c>find</c>: the sustained rate, then latency at a fixed fraction of it; <c>soak</c>: a fixed rate for a
    /// long time, sampled.</summary>
    public string Mode { get; init; } = "find";

    public string Label { get; init; } = "run";
    public int Seconds { get; init; } = 30;

    /// <summary>The soak's fixed rate (items/s).</summary>
    public double Rate { get; init; } = 50;

    /// <summary>The latency phase of <c>find</c> runs at this fraction of the sustained rate.</summary>
    public double LatencyFraction { get; init; } = 0.7;

    /// <summary>The controller of <c>find</c> raises the rate while the items not yet assessed are under this many
    /// milliseconds' worth of the current rate (at least <see cref="MinBacklog"/>).</summary>
    public int LagMilliseconds { get; init; } = 1000;

    public int MinBacklog { get; init; } = 100;
    public double StartRate { get; init; } = 100;
    public double MaxRate { get; init; } = 5000;
    public int SampleSeconds { get; init; } = 60;
    public int DrainSeconds { get; init; } = 120;

    /// <summary>The status a submission answers: 202 on the queue path, 201 on the synchronous one.</summary>
    public int Expect { get; init; } = 202;

    public Uri? NatsMonitor { get; init; }
    public IReadOnlyList<(string Name, int Pid)> Processes { get; init; } = [];

    public const string Usage = """
        usage: Vigil.Queue.Bench --url URL --ingest-key KEY --admin-key KEY --data DIR [options]
          --mode find|soak        find: sustained rate, then latency at a fraction of it (default); soak: fixed rate, sampled
          --label TEXT            the run's name in the table
          --seconds N             length of each phase (default 30)
          --rate N                soak: items per second (default 50)
          --latency-fraction F    find: latency phase at F x the sustained rate (default 0.7)
          --lag-ms N              find: backlog the controller allows, in ms of the current rate (default 1000)
          --start-rate N          find: first rate (default 100; +25% a second while the workers keep up)
          --expect 201|202        the status a submission answers (202 with a queue, 201 without)
          --proc NAME=PID         a process (and its descendants) whose CPU and memory are sampled; repeatable
          --nats-monitor URL      nats-server's monitoring endpoint (-m PORT) for the stream's size
          --sample-seconds N      soak: seconds between samples (default 60)
          --drain-seconds N       how long to wait for the last items' events (default 120)
        """;

    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var processes = new List<(string, int)>();
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"unexpected argument '{args[i]}'");
            }

            string name = args[i][2..], value = args[++i];
            if (name == "proc")
            {
                int eq = value.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0 || !int.TryParse(value[(eq + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
                {
                    throw new ArgumentException($"--proc wants NAME=PID, not '{value}'");
                }

                processes.Add((value[..eq], pid));
            }
            else
            {
                values[name] = value;
            }
        }

        string Required(string name) => values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required");
        double Number(string name, double fallback) => values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var options = new BenchOptions
        {
            Url = new Uri(Required("url")),
            IngestKey = Required("ingest-key"),
            AdminKey = Required("admin-key"),
            Data = Required("data"),
            Mode = values.GetValueOrDefault("mode", "find"),
            Label = values.GetValueOrDefault("label", "run"),
            Seconds = (int)Number("seconds", 30),
            Rate = Number("rate", 50),
            LatencyFraction = Number("latency-fraction", 0.7),
            LagMilliseconds = (int)Number("lag-ms", 1000),
            StartRate = Number("start-rate", 100),
            SampleSeconds = (int)Number("sample-seconds", 60),
            DrainSeconds = (int)Number("drain-seconds", 120),
            Expect = (int)Number("expect", 202),
            NatsMonitor = values.TryGetValue("nats-monitor", out var monitor) ? new Uri(monitor) : null,
            Processes = processes,
        };
        if (options.Mode is not ("find" or "soak") || options.Seconds < 1 || options.Rate <= 0 || options.LatencyFraction is <= 0 or > 1)
        {
            throw new ArgumentException("--mode is find or soak; --seconds, --rate and --latency-fraction (at most 1) must be positive");
        }

        return options;
    }
}
