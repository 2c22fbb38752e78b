using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Vigil.Media.Ocr;

/// <summary>Settings of <see cref="TesseractOcr"/>.</summary>
/// <param name="Executable">The program: a name looked up on PATH, or a path.</param>
/// <param name="Languages">Tesseract language data to use, in order; those not installed are left out (and reported).</param>
/// <param name="Timeout">Longest time for one image; the process is killed after it.</param>
/// <param name="MaxTextChars">Text past this length is dropped.</param>
public sealed record TesseractOptions(
    string Executable = "tesseract",
    IReadOnlyList<string>? Languages = null,
    TimeSpan? Timeout = null,
    int MaxTextChars = 100_000)
{
    /// <summary>English, Arabic and French (Debian packages tesseract-ocr-eng, -ara, -fra).</summary>
    public static IReadOnlyList<string> DefaultLanguages { get; } = ["eng", "ara", "fra"];

    /// <summary>Default time limit for one image.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);
}

/// <summary>
/// OCR with the Tesseract program (Debian's <c>tesseract-ocr</c>), run as a process per image: the image goes in on
/// standard input as a binary PPM and the text comes back on standard output
/// (<c>tesseract stdin stdout -l eng+ara+fra</c>), with a time limit and cancellation (the process is killed).
/// </summary>
/// <remarks>
/// <para>The image is passed as pixels that Vigil decoded and checked, never as the original bytes, so that
/// Tesseract's own image readers never see untrusted files. The EXIF orientation is applied first (for reading
/// only; hashes use the stored pixels), since phone photos of leaflets are often stored sideways.</para>
/// <para>Whether Tesseract is installed, its version and its languages are checked once, on first use. Without it
/// every read returns <see cref="OcrStatus.Unavailable"/> with the reason, so that callers carry on with hashes.
/// Tesseract's OpenMP threads are limited to one per process: callers parallelise across images.</para>
/// </remarks>
public sealed class TesseractOcr : IOcrEngine
{
    private const int MaxErrorChars = 16 * 1024;
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(20);

    private readonly TesseractOptions _options;
    private readonly TimeProvider _time;
    private readonly Lazy<Task<Probe>> _probe;

    public TesseractOcr(TesseractOptions? options = null, TimeProvider? time = null)
    {
        _options = options ?? new TesseractOptions();
        _time = time ?? TimeProvider.System;
        _probe = new Lazy<Task<Probe>>(ProbeAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <inheritdoc/>
    public async Task<OcrAvailability> CheckAsync(CancellationToken cancellationToken = default)
    {
        var probe = await _probe.Value.WaitAsync(cancellationToken);
        return probe.Availability;
    }

    /// <inheritdoc/>
    public async Task<OcrResult> ReadAsync(DecodedImage image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        var probe = await _probe.Value.WaitAsync(cancellationToken);
        if (!probe.Availability.Available)
        {
            return new OcrResult(OcrStatus.Unavailable, Problem: probe.Availability.Description);
        }

        var timeout = _options.Timeout ?? TesseractOptions.DefaultTimeout;
        var run = await RunAsync(
            ["stdin", "stdout", "-l", probe.LanguageArgument],
            stdin => WritePpmAsync(stdin, image),
            timeout,
            _options.MaxTextChars,
            cancellationToken);
        if (run.StartProblem is { } startProblem)
        {
            return new OcrResult(OcrStatus.Unavailable, Problem: startProblem);
        }

        if (run.TimedOut)
        {
            return new OcrResult(OcrStatus.Failed, Engine: probe.Availability.Description, Problem: $"tesseract took longer than {timeout.TotalSeconds:0.#} s and was stopped");
        }

        if (run.ExitCode != 0)
        {
            return new OcrResult(OcrStatus.Failed, Engine: probe.Availability.Description, Problem: $"tesseract exited with code {run.ExitCode}: {LastLine(run.Stderr)}");
        }

        return new OcrResult(OcrStatus.Read, OcrResult.Clean(run.Stdout), probe.Availability.Description);
    }

    private async Task<Probe> ProbeAsync()
    {
        var version = await RunAsync(["--version"], null, ProbeTimeout, 4096, CancellationToken.None);
        if (version.StartProblem is { } problem)
        {
            return Probe.Unavailable(problem);
        }

        var languages = await RunAsync(["--list-langs"], null, ProbeTimeout, 64 * 1024, CancellationToken.None);
        if (languages.ExitCode != 0 || languages.TimedOut)
        {
            return Probe.Unavailable($"'{_options.Executable} --list-langs' failed: {LastLine(languages.Stderr + languages.Stdout)}");
        }

        // "List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (4):" then one name a line.
        var installed = (languages.Stdout + "\n" + languages.Stderr)
            .Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith("List of", StringComparison.OrdinalIgnoreCase))
            .ToHashSet(StringComparer.Ordinal);
        var wanted = _options.Languages ?? TesseractOptions.DefaultLanguages;
        var present = wanted.Where(installed.Contains).ToList();
        var missing = wanted.Where(l => !installed.Contains(l)).ToList();
        var name = (version.Stdout + version.Stderr).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(l => l.StartsWith("tesseract", StringComparison.OrdinalIgnoreCase)) ?? "tesseract";
        if (present.Count == 0)
        {
            return Probe.Unavailable($"{name} has none of the languages {string.Join(", ", wanted)} (install tesseract-ocr-{string.Join(", tesseract-ocr-", wanted)})");
        }

        var languageArgument = string.Join('+', present);
        var description = $"{name} ({languageArgument})" + (missing.Count == 0 ? "" : $"; missing language data: {string.Join(", ", missing)} (install tesseract-ocr-{string.Join(", tesseract-ocr-", missing)})");
        return new Probe(new OcrAvailability(true, description), languageArgument);
    }

    private async Task<ProcessRun> RunAsync(
        IReadOnlyList<string> arguments, Func<Stream, Task>? stdin, TimeSpan timeout, int maxOutputChars, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_options.Executable)
        {
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["OMP_THREAD_LIMIT"] = "1";
        using var process = new Process { StartInfo = start };
        try
        {
            if (!process.Start())
            {
                return ProcessRun.NotStarted($"'{_options.Executable}' could not be started");
            }
        }
        catch (Win32Exception e)
        {
            return ProcessRun.NotStarted($"'{_options.Executable}' is not installed or cannot run ({e.Message}); install Debian's tesseract-ocr, tesseract-ocr-eng, tesseract-ocr-ara and tesseract-ocr-fra");
        }

        using var timeoutSource = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        var stdout = ReadLimitedAsync(process.StandardOutput, maxOutputChars);
        var stderr = ReadLimitedAsync(process.StandardError, MaxErrorChars);
        var input = stdin is null ? Task.CompletedTask : FeedAsync(process.StandardInput.BaseStream, stdin);
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            await Task.WhenAll(stdout, stderr, input);
            cancellationToken.ThrowIfCancellationRequested();
            return new ProcessRun(-1, "", "", TimedOut: true);
        }

        await Task.WhenAll(stdout, stderr, input);
        return new ProcessRun(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Writes standard input and closes it; a process that stops reading early (a broken pipe) is not an error here.</summary>
    private static async Task FeedAsync(Stream input, Func<Stream, Task> write)
    {
        try
        {
            await using (input)
            {
                await write(input);
            }
        }
        catch (IOException)
        {
        }
    }

    private static async Task<string> ReadLimitedAsync(StreamReader reader, int maxChars)
    {
        var text = new StringBuilder();
        var buffer = new char[8192];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            int keep = Math.Min(read, maxChars - text.Length);
            if (keep > 0)
            {
                text.Append(buffer, 0, keep);
            }
        }

        return text.ToString();
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
    }

    /// <summary>Binary PPM (P6) of the image, upright by its EXIF orientation.</summary>
    private static async Task WritePpmAsync(Stream stream, DecodedImage image)
    {
        var (pixels, width, height) = Orientation.Apply(image);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"P6\n{width} {height}\n255\n"));
        await stream.WriteAsync(pixels);
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "no message";

    private sealed record Probe(OcrAvailability Availability, string LanguageArgument)
    {
        public static Probe Unavailable(string why) => new(new OcrAvailability(false, why), "");
    }

    private sealed record ProcessRun(int ExitCode, string Stdout, string Stderr, bool TimedOut = false, string? StartProblem = null)
    {
        public static ProcessRun NotStarted(string why) => new(-1, "", "", StartProblem: why);
    }
}
