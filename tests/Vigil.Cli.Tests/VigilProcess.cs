using System.Diagnostics;

namespace Vigil.Cli.Tests;

/// <summary>Runs the built <c>vigil</c> program as users do, in its own process.</summary>
internal static class VigilProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(string workingDirectory, params string[] args) => RunWithInput(workingDirectory, null, args);

    public static Result RunWithInput(string workingDirectory, string? stdin, params string[] args) =>
        RunWithEnvironment(workingDirectory, stdin, null, args);

    /// <param name="environment">Variables to set (or, with a null value, remove) for the process.</param>
    public static Result RunWithEnvironment(string workingDirectory, string? stdin, IReadOnlyDictionary<string, string?>? environment, params string[] args) =>
        Execute(workingDirectory, stdin, environment, args, whileRunning: null);

    /// <summary>Runs another build of vigil (<paramref name="program"/>: its <c>vigil.dll</c>), e.g. a release to compare with.</summary>
    public static Result RunProgram(string program, string workingDirectory, params string[] args) =>
        Execute(workingDirectory, null, null, args, whileRunning: null, program);

    /// <summary>Starts vigil, waits until <paramref name="ready"/> holds, then interrupts it as Ctrl+C does (SIGINT).</summary>
    public static Result RunAndInterrupt(string workingDirectory, Func<bool> ready, params string[] args) =>
        Execute(workingDirectory, null, null, args, process =>
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while (!ready() && !process.HasExited && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }

            if (!process.HasExited)
            {
                using var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                kill.WaitForExit();
            }
        });

    /// <summary>Starts vigil, waits until what it wrote to standard error satisfies <paramref name="ready"/>, then
    /// interrupts it as Ctrl+C does (SIGINT).</summary>
    public static Result RunAndInterruptWhen(string workingDirectory, Func<string, bool> ready, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vigil.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = new System.Text.StringBuilder();
        var reading = Task.Run(() =>
        {
            var buffer = new char[4096];
            int n;
            while ((n = process.StandardError.Read(buffer, 0, buffer.Length)) > 0)
            {
                lock (stderr)
                {
                    stderr.Append(buffer, 0, n);
                }
            }
        });
        string Stderr()
        {
            lock (stderr)
            {
                return stderr.ToString();
            }
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!ready(Stderr()) && !process.HasExited && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }

        if (!process.HasExited)
        {
            using var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }

        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("vigil did not finish within two minutes");
        }

        reading.Wait();
        return new Result(process.ExitCode, stdout.Result, Stderr());
    }

    /// <summary>Runs vigil with <paramref name="args"/>; <paramref name="whileRunning"/>, if any, acts on the process once
    /// its standard input has been written.</summary>
    private static Result Execute(
        string workingDirectory, string? stdin, IReadOnlyDictionary<string, string?>? environment, string[] args, Action<Process>? whileRunning, string? program = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        start.ArgumentList.Add(program ?? Path.Combine(AppContext.BaseDirectory, "vigil.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }

        whileRunning?.Invoke(process);
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("vigil did not finish within two minutes");
        }

        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>A temporary folder, deleted afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vigil-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string name, string content)
    {
        string file = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        return file;
    }

    public string WriteBytes(string name, byte[] content)
    {
        string file = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(file, content);
        return file;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
