using System.Globalization;
using System.Text.Json;

namespace Vigil.Queue.Bench;

/// <summary>CPU time and memory of named processes (each with its descendants: PostgreSQL's backends are children of
/// its postmaster) and of the whole machine, read from /proc.</summary>
internal sealed class ProcessProbe(IReadOnlyList<(string Name, int Pid)> processes)
{
    /// <summary>Clock ticks a second of /proc's CPU times (USER_HZ; 100 on Linux for x86-64 and arm64).</summary>
    private const double TicksPerSecond = 100;

    public IReadOnlyList<string> Names { get; } = [.. processes.Select(p => p.Name).Append("load generator")];

    public sealed record Snapshot(DateTime At, Dictionary<string, double> CpuSeconds, double MachineBusySeconds);

    public Snapshot Take()
    {
        var parents = new Dictionary<int, int>();
        var cpu = new Dictionary<int, double>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || Stat(pid) is not { } stat)
            {
                continue;
            }

            parents[pid] = stat.Parent;
            cpu[pid] = stat.CpuSeconds;
        }

        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, root) in processes.Append(("load generator", Environment.ProcessId)))
        {
            double total = 0;
            foreach (var (pid, seconds) in cpu)
            {
                if (IsDescendant(pid, root, parents))
                {
                    total += seconds;
                }
            }

            result[name] = result.GetValueOrDefault(name) + total;
        }

        return new Snapshot(DateTime.UtcNow, result, MachineBusy());
    }

    /// <summary>Resident memory of each named process itself (not its descendants), MiB.</summary>
    public Dictionary<string, double> Rss()
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, pid) in processes)
        {
            try
            {
                string? line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                result[name] = line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            }
            catch (IOException)
            {
                result[name] = double.NaN; // the process is gone
            }
        }

        return result;
    }

    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[..3] is var parts ? string.Join(' ', parts) : "";

    private static bool IsDescendant(int pid, int root, Dictionary<int, int> parents)
    {
        for (int depth = 0; depth < 64 && pid > 1; depth++)
        {
            if (pid == root)
            {
                return true;
            }

            if (!parents.TryGetValue(pid, out pid))
            {
                return false;
            }
        }

        return false;
    }

    private static (int Parent, double CpuSeconds)? Stat(int pid)
    {
        try
        {
            string text = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name (which may hold spaces) in parentheses: state ppid ... utime(14) stime(15)
            // cutime(16) cstime(17). The children's fields hold the time of children that have exited and been reaped, so
            // that a backend PostgreSQL ends (or a worker's child) keeps counting through its parent instead of vanishing.
            string[] fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            int parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
            double ticks = 0;
            for (int field = 11; field <= 14; field++)
            {
                ticks += double.Parse(fields[field], CultureInfo.InvariantCulture);
            }

            return (parent, ticks / TicksPerSecond);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static double MachineBusy()
    {
        // cpu  user nice system idle iowait irq softirq steal ...
        string[] fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        double[] ticks = [.. fields.Skip(1).Take(8).Select(f => double.Parse(f, CultureInfo.InvariantCulture))];
        return (ticks.Sum() - ticks[3] - ticks[4]) / TicksPerSecond;
    }
}

/// <summary>The JetStream streams' size from nats-server's monitoring endpoint (<c>/jsz?streams=true</c>).</summary>
internal sealed class NatsProbe(HttpClient http, Uri? monitor)
{
    public sealed record Streams(long ContentMessages, long ContentBytes, long DeadMessages);

    public async Task<Streams?> TakeAsync()
    {
        if (monitor is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(monitor, "/jsz?streams=true")));
            long messages = 0, bytes = 0, dead = 0;
            if (document.RootElement.TryGetProperty("account_details", out var accounts))
            {
                foreach (var account in accounts.EnumerateArray())
                {
                    if (!account.TryGetProperty("stream_detail", out var streams))
                    {
                        continue;
                    }

                    foreach (var stream in streams.EnumerateArray())
                    {
                        string name = stream.GetProperty("name").GetString() ?? "";
                        var state = stream.GetProperty("state");
                        if (name.EndsWith("_CONTENT", StringComparison.Ordinal))
                        {
                            messages += state.GetProperty("messages").GetInt64();
                            bytes += state.GetProperty("bytes").GetInt64();
                        }
                        else if (name.EndsWith("_DEAD", StringComparison.Ordinal))
                        {
                            dead += state.GetProperty("messages").GetInt64();
                        }
                    }
                }
            }

            return new Streams(messages, bytes, dead);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException or KeyNotFoundException)
        {
            return null;
        }
    }
}
