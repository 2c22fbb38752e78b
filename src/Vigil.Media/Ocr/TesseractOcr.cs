using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Vigil.Media.Ocr;

/// <summary>How <see cref="TesseractOcr"/> chooses the language models it reads an image with.</summary>
public enum OcrLanguageStrategy
{
    /// <summary>
    /// Tesseract's script detection first (<c>--psm 0</c> with the <c>osd</c> model), then one pass with the configured
    /// languages of that script (Latin: <c>fra+eng</c>; Arabic: <c>ara</c>); every language together when no script
    /// is detected or none of the languages is written in it. Without the <c>osd</c> model, or when every language
    /// is in one script, as <see cref="Combined"/>.
    /// </summary>
    ScriptFirst,

    /// <summary>
    /// One pass with every configured language together (<c>-l eng+ara+fra</c> before script detection): Tesseract then
    /// reads each word with whichever model is most confident, so the Arabic model wins unknown Latin words (a clean
    /// render of "new release from amaq" came out as "from 32230") and the Latin ones win Arabic words.
    /// </summary>
    Combined,
}

/// <summary>Settings of <see cref="TesseractOcr"/>.</summary>
/// <param name="Executable">The program: a name looked up on PATH, or a path.</param>
/// <param name="Languages">Tesseract language data to use, in order; those not installed are left out (and reported).</param>
/// <param name="Timeout">Longest time for one image, all Tesseract runs together; the process is killed after it.</param>
/// <param name="MaxTextChars">Text past this length is dropped.</param>
/// <param name="Strategy">How the language models are chosen for an image.</param>
public sealed record TesseractOptions(
    string Executable = "tesseract",
    IReadOnlyList<string>? Languages = null,
    TimeSpan? Timeout = null,
    int MaxTextChars = 100_000,
    OcrLanguageStrategy Strategy = OcrLanguageStrategy.ScriptFirst)
{
    /// <summary>
    /// French, English and Arabic (Debian packages tesseract-ocr-fra, -eng, -ara). French comes before English: the
    /// first language of a script is Tesseract's main model for it, and French first keeps French accents (à, è, ê)
    /// that English first reads as a, é, é, at no cost to English (docs/quality/ocr.md).
    /// </summary>
    public static IReadOnlyList<string> DefaultLanguages { get; } = ["fra", "eng", "ara"];

    /// <summary>Default time limit for one image.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Default <see cref="MaxPixels"/>: 4 megapixels (docs/quality/ocr.md measures it).</summary>
    public const long DefaultMaxPixels = 4_000_000;

    /// <summary>
    /// The most pixels Tesseract is given: a larger image is reduced (its sides in proportion) to fit before anything
    /// else, and small text is enlarged only within it. Tesseract's time grows with the pixels it is given (a blank
    /// 7000x7000 page took 9 s); leaflet text stays readable well below a phone photo's 12 megapixels.
    /// </summary>
    public long MaxPixels { get; init; } = DefaultMaxPixels;

    /// <summary>
    /// With <see cref="OcrLanguageStrategy.ScriptFirst"/>: text whose estimated resolution (Tesseract's, from the
    /// height of the letters during script detection) is under this many dots per inch is enlarged before reading,
    /// to about <see cref="UpscaleTo"/>; 0 never enlarges. Tesseract misjudges the script of small letters and reads
    /// them worse; enlarged, the script is detected again.
    /// </summary>
    public int UpscaleBelow { get; init; } = 200;

    /// <summary>The estimated resolution that <see cref="UpscaleBelow"/> enlarges small text to (at most 4 times).</summary>
    public int UpscaleTo { get; init; } = 300;

    /// <summary>Turn the page so that its lines of text are level when they are turned by 0.5 to 8 degrees (see <c>Skew</c>).</summary>
    public bool Deskew { get; init; } = true;

    /// <summary>
    /// Tesseract variables for the reading pass, as <c>name=value</c> (each passed as <c>-c name=value</c>). By default
    /// adaptive binarisation (Sauvola, <c>thresholding_method=2</c>), which reads noisy and unevenly lit pages far better
    /// than the global Otsu threshold and clean ones as well, and no rejection of short rows as noise
    /// (<c>textord_noise_rejrows=0</c>), which otherwise drops whole short lines of Arabic.
    /// </summary>
    public IReadOnlyList<string> Parameters { get; init; } = ["thresholding_method=2", "textord_noise_rejrows=0"];

    /// <summary>
    /// With <see cref="OcrLanguageStrategy.ScriptFirst"/>: Tesseract variables for the reading pass of pages detected in
    /// a script, in place of <see cref="Parameters"/>. None by default.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ScriptParameters { get; init; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary>
    /// With <see cref="OcrLanguageStrategy.ScriptFirst"/>: pages detected in these scripts are read twice, as a page
    /// (Tesseract's layout analysis, <c>--psm 3</c>) and as sparse text (<c>--psm 11</c>, lines found one by one), and
    /// the reading Tesseract is more confident of is kept. Layout analysis cuts or drops Arabic lines now and then
    /// (the dots of its letters look like noise to it), which sparse text does not.
    /// </summary>
    public IReadOnlyList<string> SparseScripts { get; init; } = ["Arabic"];

    /// <summary>Tesseract variables for the sparse-text reading of <see cref="SparseScripts"/>.</summary>
    public IReadOnlyList<string> SparseParameters { get; init; } = ["textord_noise_rejrows=0"];

    /// <summary>
    /// Fewest characters Tesseract's script detection looks at before it decides (Tesseract's own default, 50). Fewer
    /// make it guess from a handful of letters (Cyrillic for a French line, Arabic for an English photo).
    /// </summary>
    public int ScriptMinCharacters { get; init; } = 50;

    /// <summary>
    /// When the page has too few characters for <see cref="ScriptMinCharacters"/> (a short line: Arabic's joined letters
    /// make few), the script is looked for again from this many; 0 does not look again.
    /// </summary>
    public int ScriptMinCharactersShortText { get; init; } = 3;

    /// <summary>Lowest script confidence (as Tesseract reports it) taken as the script; below it every language is used.</summary>
    public double ScriptMinConfidence { get; init; }
}

/// <summary>
/// OCR with the Tesseract program (Debian's <c>tesseract-ocr</c>), run as a process per pass: the image goes in on
/// standard input as a binary PPM and the text comes back on standard output, with a time limit and cancellation
/// (the process is killed). By default the script is detected first (<c>tesseract stdin stdout -l osd --psm 0</c>)
/// and the text is then read with the languages of that script (<c>-l fra+eng</c> for Latin, <c>-l ara</c> for
/// Arabic); see <see cref="OcrLanguageStrategy"/> and <see cref="TesseractOptions"/> for the preprocessing (lines
/// levelled, small text enlarged, adaptive binarisation, Arabic also read as sparse text, a page of a detected script
/// where layout analysis finds no text read again as sparse text).
/// </summary>
/// <remarks>
/// <para>The image is passed as pixels that Vigil decoded and checked, never as the original bytes, so that
/// Tesseract's own image readers never see untrusted files. The EXIF orientation is applied first (for reading
/// only; hashes use the stored pixels), since phone photos of leaflets are often stored sideways.</para>
/// <para>Why the script first: with every language loaded at once Tesseract may read a Latin word with the Arabic
/// model (a clean render of "new release from amaq" came out as "from 32230"); one script's models do not compete.
/// docs/quality/ocr.md measures the strategies (bench/Vigil.Ocr.Bench).</para>
/// <para>Whether Tesseract is installed, its version and its languages are checked once, on first use. Without it
/// every read returns <see cref="OcrStatus.Unavailable"/> with the reason, so that callers carry on with hashes.
/// Tesseract's OpenMP threads are limited to one per process: callers parallelise across images.</para>
/// </remarks>
public sealed class TesseractOcr : IOcrEngine
{
    private const int MaxErrorChars = 16 * 1024;
    private const int MaxScriptReportChars = 4096;
    private const int MaxUpscaleFactor = 4;
    private static readonly ScriptDetection Nothing = new(null, 0, null);
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

        // One time limit for the image, whatever the number of passes.
        var timeout = _options.Timeout ?? TesseractOptions.DefaultTimeout;
        long started = _time.GetTimestamp();
        TimeSpan Remaining() => TimeSpan.FromTicks(Math.Max(0, (timeout - _time.GetElapsedTime(started)).Ticks));

        var page = Page.Upright(image);
        string languages = probe.AllLanguages;
        string? detectedScript = null;
        var notes = new List<string>();
        if ((long)page.Width * page.Height > _options.MaxPixels)
        {
            var reduced = page.Reduced(_options.MaxPixels);
            notes.Add($"reduced from {page.Width}x{page.Height} to {reduced.Width}x{reduced.Height}");
            page = reduced;
        }
        if (_options.Deskew)
        {
            var (degrees, r, g, b) = Skew.Estimate(page);
            if (Math.Abs(degrees) >= Skew.MinDegrees)
            {
                page = Skew.Level(page, degrees, r, g, b);
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"levelled {degrees:0.0}°"));
            }
        }

        if (probe.ScriptLanguages is not null)
        {
            var (detection, failed) = await DetectScriptAsync(page, probe, timeout, Remaining, cancellationToken);
            if (failed is not null)
            {
                return failed;
            }

            // Small text: enlarged, and its script looked for again (the detection misjudges small letters).
            if (_options.UpscaleBelow > 0 && detection.EstimatedResolution is > 0 and var dpi && dpi < _options.UpscaleBelow)
            {
                // As much as asked for, at most 4 times and within MaxPixels.
                int wanted = (int)Math.Min(MaxUpscaleFactor, Math.Ceiling((double)_options.UpscaleTo / dpi));
                int factor = Math.Min(wanted, (int)Math.Sqrt((double)_options.MaxPixels / ((long)page.Width * page.Height)));
                if (factor > 1)
                {
                    page = page.Enlarged(factor);
                    notes.Add($"enlarged {factor}x");
                    (detection, failed) = await DetectScriptAsync(page, probe, timeout, Remaining, cancellationToken);
                    if (failed is not null)
                    {
                        return failed;
                    }
                }
            }

            if (detection.Script is { } script && detection.Confidence >= _options.ScriptMinConfidence
                && probe.ScriptLanguages.TryGetValue(script, out var ofScript))
            {
                languages = ofScript;
                detectedScript = script;
                notes.Insert(0, $"script {script}");
            }
            else
            {
                notes.Insert(0, "no script detected");
            }
        }

        var parameters = detectedScript is not null && _options.ScriptParameters.TryGetValue(detectedScript, out var ofDetected) ? ofDetected : _options.Parameters;
        if (detectedScript is not null && _options.SparseScripts.Contains(detectedScript, StringComparer.Ordinal))
        {
            return await ReadTwiceAsync(page, languages, parameters, detectedScript is "Arabic" or "Hebrew", probe, timeout, Remaining, notes, cancellationToken);
        }

        var run = await RunAsync(Arguments(languages, null, parameters, tsv: false), page.WritePpmAsync, Remaining(), _options.MaxTextChars, cancellationToken);
        if (Problem(run, probe, timeout, checkExitCode: true) is { } readFailed)
        {
            return readFailed;
        }

        string text = OcrResult.Clean(run.Stdout);
        if (detectedScript is not null && !text.Any(char.IsLetterOrDigit))
        {
            // The script detection saw letters, yet layout analysis found no text: it now and then drops a whole page of
            // clean print (an image with text read as empty would pass as clear). Read it again as sparse text.
            int maxTsvChars = (int)Math.Min(int.MaxValue, _options.MaxTextChars * 20L);
            var sparse = await RunAsync(Arguments(languages, "11", _options.SparseParameters, tsv: true), page.WritePpmAsync, Remaining(), maxTsvChars, cancellationToken);
            if (Problem(sparse, probe, timeout, checkExitCode: false) is { } sparseFailed)
            {
                return sparseFailed;
            }

            if (sparse.ExitCode == 0 && OcrResult.Clean(TsvReading.Parse(sparse.Stdout, rightToLeft: false).Text) is { Length: > 0 } asSparse)
            {
                text = asSparse.Length <= _options.MaxTextChars ? asSparse : asSparse[.._options.MaxTextChars];
                notes.Add("no text found by layout analysis, read as sparse text");
            }
        }

        return new OcrResult(OcrStatus.Read, text, Describe(probe, languages, notes));
    }

    /// <summary>Reads the page as a page and as sparse text, and keeps the reading Tesseract is more confident of.</summary>
    private async Task<OcrResult> ReadTwiceAsync(
        Page page, string languages, IReadOnlyList<string> parameters, bool rightToLeft, Probe probe, TimeSpan timeout, Func<TimeSpan> remaining, List<string> notes, CancellationToken cancellationToken)
    {
        // TSV is about twenty times longer than the text it holds.
        int maxTsvChars = (int)Math.Min(int.MaxValue, _options.MaxTextChars * 20L);
        var layout = await RunAsync(Arguments(languages, null, parameters, tsv: true), page.WritePpmAsync, remaining(), maxTsvChars, cancellationToken);
        if (Problem(layout, probe, timeout, checkExitCode: true) is { } failed)
        {
            return failed;
        }

        var sparse = await RunAsync(Arguments(languages, "11", _options.SparseParameters, tsv: true), page.WritePpmAsync, remaining(), maxTsvChars, cancellationToken);
        if (Problem(sparse, probe, timeout, checkExitCode: false) is { } sparseFailed)
        {
            return sparseFailed;
        }

        var reading = TsvReading.Parse(layout.Stdout);
        // Sparse text finds pieces of a line as separate blocks: put back in reading order by where they are.
        if (sparse.ExitCode == 0 && TsvReading.Parse(sparse.Stdout, rightToLeft) is var asSparse && asSparse.Confidence > reading.Confidence)
        {
            reading = asSparse;
            notes.Add("sparse text");
        }

        string text = OcrResult.Clean(reading.Text);
        return new OcrResult(OcrStatus.Read, text.Length <= _options.MaxTextChars ? text : text[.._options.MaxTextChars], Describe(probe, languages, notes));
    }

    private static List<string> Arguments(string languages, string? pageSegmentation, IReadOnlyList<string> parameters, bool tsv)
    {
        List<string> arguments = ["stdin", "stdout", "-l", languages];
        if (pageSegmentation is not null)
        {
            arguments.AddRange(["--psm", pageSegmentation]);
        }

        foreach (var parameter in parameters)
        {
            arguments.AddRange(["-c", parameter]);
        }

        if (tsv)
        {
            arguments.Add("tsv");
        }

        return arguments;
    }

    private static string Describe(Probe probe, string languages, List<string> notes) => $"{probe.Name} ({string.Join("; ", [languages, .. notes])})";

    /// <summary>
    /// Tesseract's orientation and script detection on the page. Its non-zero exit ("Too few characters") is no failure:
    /// the detection then has no script, and every language is used.
    /// </summary>
    private async Task<(ScriptDetection Detection, OcrResult? Failed)> DetectScriptAsync(
        Page page, Probe probe, TimeSpan timeout, Func<TimeSpan> remaining, CancellationToken cancellationToken)
    {
        async Task<(ScriptDetection, OcrResult?)> DetectAsync(int characters)
        {
            var osd = await RunAsync(
                ["stdin", "stdout", "-l", "osd", "--psm", "0", "-c", $"min_characters_to_try={Math.Max(1, characters)}"],
                page.WritePpmAsync, remaining(), MaxScriptReportChars, cancellationToken);
            return Problem(osd, probe, timeout, checkExitCode: false) is { } failed
                ? (Nothing, failed)
                : (ScriptDetection.Parse(osd.Stdout, osd.Stderr), null);
        }

        var (detection, problem) = await DetectAsync(_options.ScriptMinCharacters);
        if (problem is null && detection.Script is null && _options.ScriptMinCharactersShortText is > 0 and var few && few < _options.ScriptMinCharacters)
        {
            (var again, problem) = await DetectAsync(few);
            detection = again with { EstimatedResolution = again.EstimatedResolution ?? detection.EstimatedResolution };
        }

        return (detection, problem);
    }

    /// <summary>The result for a run that did not start or was stopped, or (except for script detection) failed.</summary>
    private static OcrResult? Problem(ProcessRun run, Probe probe, TimeSpan timeout, bool checkExitCode)
    {
        if (run.StartProblem is { } startProblem)
        {
            return new OcrResult(OcrStatus.Unavailable, Problem: startProblem);
        }

        if (run.TimedOut)
        {
            return new OcrResult(OcrStatus.Failed, Engine: probe.Availability.Description, Problem: $"tesseract took longer than {timeout.TotalSeconds:0.#} s and was stopped");
        }

        if (checkExitCode && run.ExitCode != 0)
        {
            return new OcrResult(OcrStatus.Failed, Engine: probe.Availability.Description, Problem: $"tesseract exited with code {run.ExitCode}: {LastLine(run.Stderr)}");
        }

        return null;
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

        var all = string.Join('+', present);
        var missingNote = missing.Count == 0 ? "" : $"; missing language data: {string.Join(", ", missing)} (install tesseract-ocr-{string.Join(", tesseract-ocr-", missing)})";

        // Script detection pays only when the languages are in more than one script, and needs the osd model.
        var byScript = present.Select(Scripts.Of).OfType<string>().Distinct(StringComparer.Ordinal)
            .ToDictionary(script => script, script => string.Join('+', Scripts.LanguagesOf(script, present)), StringComparer.Ordinal);
        bool detect = _options.Strategy == OcrLanguageStrategy.ScriptFirst && byScript.Count > 1;
        if (detect && !installed.Contains("osd"))
        {
            return new Probe(new OcrAvailability(true, $"{name} ({all}; no script detection: install tesseract-ocr-osd){missingNote}"), name, all, null);
        }

        if (!detect)
        {
            return new Probe(new OcrAvailability(true, $"{name} ({all}){missingNote}"), name, all, null);
        }

        var scripts = string.Join(", ", byScript.Select(p => $"{p.Key} {p.Value}"));
        return new Probe(new OcrAvailability(true, $"{name} (script detection: {scripts}; otherwise {all}){missingNote}"), name, all, byScript);
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

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "no message";

    /// <summary>What the first use found out.</summary>
    /// <param name="Name">e.g. <c>tesseract 5.3.0</c>.</param>
    /// <param name="AllLanguages">Every configured language installed, as Tesseract's <c>-l</c> argument.</param>
    /// <param name="ScriptLanguages">With script detection: the <c>-l</c> argument for each script; otherwise null.</param>
    private sealed record Probe(OcrAvailability Availability, string Name, string AllLanguages, IReadOnlyDictionary<string, string>? ScriptLanguages)
    {
        public static Probe Unavailable(string why) => new(new OcrAvailability(false, why), "", "", null);
    }

    private sealed record ProcessRun(int ExitCode, string Stdout, string Stderr, bool TimedOut = false, string? StartProblem = null)
    {
        public static ProcessRun NotStarted(string why) => new(-1, "", "", StartProblem: why);
    }
}
