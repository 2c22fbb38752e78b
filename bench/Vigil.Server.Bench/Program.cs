using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

// Open-loop load at a fixed rate against one endpoint of a running `vigil serve`; latency is measured from when each
// request was due (not when it was sent), so a stalled server cannot hide its queueing (no coordinated omission).
//   dotnet run -c Release --project bench/Vigil.Server.Bench -- URL KEY RATE SECONDS [classify|submit]
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: Vigil.Server.Bench URL KEY RATE SECONDS [classify|submit]");
    return 2;
}

var baseAddress = new Uri(args[0]);
string key = args[1];
int rate = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
int seconds = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
string endpoint = args.Length > 4 ? args[4] : "classify";
string[] texts = ["Lovely weather in Leeds", "new release from amaq just dropped, share it", "The council meets on Tuesday to discuss the new bus lanes.", "Great match last night, what a goal in the second half!"];

using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
using var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
string path = endpoint == "submit" ? "/v1/content" : "/v1/classify";

// Warm-up.
for (int i = 0; i < 200; i++)
{
    using var warm = await client.PostAsync(path, Body(i));
}

int total = rate * seconds;
var latencies = new double[total];
int failures = 0;
var clock = Stopwatch.StartNew();
var tasks = new List<Task>(total);
for (int i = 0; i < total; i++)
{
    double due = i * 1000.0 / rate;
    double wait = due - clock.Elapsed.TotalMilliseconds;
    if (wait > 1)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(wait));
    }

    int n = i;
    tasks.Add(Task.Run(async () =>
    {
        try
        {
            using var response = await client.PostAsync(path, Body(n));
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref failures);
            }
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref failures);
        }

        latencies[n] = clock.Elapsed.TotalMilliseconds - due;
    }));
}

await Task.WhenAll(tasks);
double elapsed = clock.Elapsed.TotalSeconds;
Array.Sort(latencies);
double P(double q) => latencies[Math.Min(total - 1, (int)Math.Ceiling(q * total) - 1)];
Console.WriteLine($"{endpoint}: {total} requests at {rate}/s target in {elapsed:0.0} s = {total / elapsed:0} req/s; failures {failures}");
Console.WriteLine($"latency ms: p50 {P(0.50):0.00}  p90 {P(0.90):0.00}  p99 {P(0.99):0.00}  p99.9 {P(0.999):0.00}  max {latencies[^1]:0.00}");
return failures == 0 ? 0 : 1;

StringContent Body(int i) => new($"{{\"text\":\"{texts[i % texts.Length]} {i}\",\"content_id\":\"bench-{i}\"}}", Encoding.UTF8, "application/json");
