using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Vigil.Server.Tests;

/// <summary>A test that needs the NATS server of <c>VIGIL_TEST_NATS</c> (tools/test.sh starts one); skipped, with the
/// reason, without it.</summary>
public sealed class NatsFactAttribute : FactAttribute
{
    public NatsFactAttribute()
    {
        if (NatsServer.Url is null)
        {
            Skip = NatsServer.SkipReason;
        }
    }
}

/// <summary>The NATS JetStream servers the queue tests use: the shared one of <c>VIGIL_TEST_NATS</c>, or one of a test's
/// own (Debian's nats-server, started and stopped by the test).</summary>
internal sealed class NatsServer : IAsyncDisposable
{
    public const string Variable = "VIGIL_TEST_NATS";

    private readonly string _folder;
    private Process? _process;

    private NatsServer(string folder, int port)
    {
        _folder = folder;
        Port = port;
    }

    /// <summary>The shared server, or null when the variable is unset.</summary>
    public static string? Url => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } url ? url : null;

    public static string SkipReason => $"no NATS server: set {Variable}=nats://HOST:PORT (nats-server -js) to run it; tools/test.sh does";

    /// <summary>A fresh queue name, so that tests sharing a server never share work.</summary>
    public static string QueueName() => $"t{Guid.NewGuid():N}"[..24];

    public int Port { get; }

    public string Address => $"nats://127.0.0.1:{Port}";

    /// <summary>Starts a server of this test's own (JetStream, its store in a temporary folder).</summary>
    public static async Task<NatsServer> StartAsync()
    {
        var server = new NatsServer(Directory.CreateTempSubdirectory("vigil-nats-").FullName, VigilCli.FreePort());
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts it (again, on the same port and store).</summary>
    public async Task RestartAsync()
    {
        string binary = new[] { Environment.GetEnvironmentVariable("VIGIL_TEST_NATS_SERVER"), "/usr/sbin/nats-server", "/usr/bin/nats-server" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p))
            ?? throw new InvalidOperationException("nats-server is not installed (Debian package nats-server); tools/test.sh installs it");
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-js", "-sd", Path.Combine(_folder, "store"), "-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException("nats-server did not listen within 20 s");
    }

    /// <summary>SIGKILL.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }
}
