using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Vigil.Queue.Bench;

/// <summary>Open-loop submission: items are due at a rate (which may change while it runs) and sent when due, whatever
/// the earlier ones are doing, so a slow service cannot slow the load down and hide its queueing. Latency is measured
/// from when an item was due.</summary>
internal sealed class Load(BenchOptions options, HttpClient api, ItemLog log, IReadOnlyList<string> texts)
{
    private double _rate = 1;

    public double Rate
    {
        get => Volatile.Read(ref _rate);
        set => Volatile.Write(ref _rate, Math.Clamp(value, 1, options.MaxRate));
    }

    /// <summary>Sends for <paramref name="seconds"/> at <see cref="Rate"/>; returns the indexes sent, [First, End).</summary>
    public async Task<(int First, int End)> SendAsync(double seconds)
    {
        int first = log.Count;
        double due = log.Now, stop = due + (seconds * 1000);
        var sent = new List<Task>();
        while (true)
        {
            due += 1000 / Rate;
            if (due >= stop)
            {
                break;
            }

            double wait = due - log.Now;
            if (wait > 1)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(wait));
            }

            sent.Add(SubmitAsync(log.Next(due)));
        }

        await Task.WhenAll(sent);
        return (first, log.Count);
    }

    private async Task SubmitAsync(int index)
    {
        string body = JsonSerializer.Serialize(new { text = texts[index % texts.Count], content_id = log.ContentId(index), author_id = $"bench-{index % 97}" });
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/content") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.IngestKey);
            using var response = await api.SendAsync(request);
            int status = (int)response.StatusCode;
            log.Answered(index, status);
            if (status != options.Expect)
            {
                log.Failures.AddOrUpdate($"HTTP {status}", 1, (_, n) => n + 1);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            log.Answered(index, -1);
            log.Failures.AddOrUpdate(e.GetType().Name, 1, (_, n) => n + 1);
        }
    }

    /// <summary>Items of [first, end) accepted but whose event has not arrived.</summary>
    public int Outstanding(int first, int end)
    {
        int outstanding = 0;
        for (int i = first; i < end; i++)
        {
            if (log.Status(i) == options.Expect && log.AssessedAt(i) == 0)
            {
                outstanding++;
            }
        }

        return outstanding;
    }

    /// <summary>Waits until every accepted item of [first, end) has its event, or nothing arrived for 20 s, or the drain
    /// time is over; returns how many are still missing.</summary>
    public async Task<int> DrainAsync(int first, int end)
    {
        var deadline = DateTime.UtcNow.AddSeconds(options.DrainSeconds);
        long last = log.AssessedCount;
        var lastProgress = DateTime.UtcNow;
        int missing;
        while ((missing = Outstanding(first, end)) > 0 && DateTime.UtcNow < deadline && DateTime.UtcNow - lastProgress < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(100);
            if (log.AssessedCount != last)
            {
                last = log.AssessedCount;
                lastProgress = DateTime.UtcNow;
            }
        }

        return missing;
    }

    /// <summary>Percentiles (ms) of submit-to-event and submit-to-answer of the accepted items of [first, end).</summary>
    public (Percentiles Assessed, Percentiles Answered) Latency(int first, int end)
    {
        var assessed = new List<double>();
        var answered = new List<double>();
        for (int i = first; i < end; i++)
        {
            if (log.Status(i) != options.Expect)
            {
                continue;
            }

            answered.Add(log.AnsweredAt(i) - log.Due(i));
            if (log.AssessedAt(i) > 0)
            {
                assessed.Add(log.AssessedAt(i) - log.Due(i));
            }
        }

        return (Percentiles.Of(assessed), Percentiles.Of(answered));
    }
}

internal sealed record Percentiles(int Count, double P50, double P90, double P99, double Max, double Mean)
{
    public static Percentiles Of(List<double> values)
    {
        if (values.Count == 0)
        {
            return new Percentiles(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        values.Sort();
        double At(double q) => values[Math.Clamp((int)Math.Ceiling(q * values.Count) - 1, 0, values.Count - 1)];
        return new Percentiles(values.Count, At(0.5), At(0.9), At(0.99), values[^1], values.Average());
    }

    public string Short => Count == 0 ? "–" : $"{Ms(P50)} / {Ms(P99)}";

    public static string Ms(double ms) => ms switch
    {
        double.NaN => "–",
        < 10 => $"{ms:0.0} ms",
        < 10_000 => $"{ms:0} ms",
        _ => $"{ms / 1000:0.0} s",
    };
}
