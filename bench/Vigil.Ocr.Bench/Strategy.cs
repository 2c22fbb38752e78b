using System.Globalization;
using Vigil.Media.Ocr;

namespace Vigil.Ocr.Bench;

/// <summary>A way of running <see cref="TesseractOcr"/>, named by a spec such as <c>script+up200</c>.</summary>
internal sealed record Strategy(string Name, string Description, TesseractOptions Options)
{
    /// <summary>
    /// <c>default</c> (<see cref="TesseractOptions"/> as Vigil ships it), <c>combined</c> (every language in one pass:
    /// eng+ara+fra, no preprocessing: Vigil before), <c>latin</c> (eng+fra only, a reference for Latin script) or
    /// <c>script</c> (script detection, then that script's languages, no preprocessing), followed by any of
    /// <c>+no-deskew</c>, <c>+no-up</c>, <c>+no-sauvola</c>, <c>+no-keeprows</c>, <c>+no-sparse</c> (a default without one part), <c>+upN</c>
    /// (enlarge text whose estimated resolution is under N dpi), <c>+sauvola</c> (adaptive binarisation), <c>+keeprows</c> (no noise-row rejection), <c>+deskew</c> (level turned lines), <c>+c:name=value</c> (any Tesseract variable), <c>+order:fra:eng:ara</c> (the languages, in order),
    /// <c>+maxN</c> (reduce images over N pixels before reading; <c>max0</c>: never), <c>+minN</c> (script detection on N characters or more) and <c>+confX</c> (lowest script confidence).
    /// </summary>
    public static Strategy Parse(string spec)
    {
        var parts = spec.Split('+', StringSplitOptions.TrimEntries);
        var (options, description) = parts[0] switch
        {
            "default" => (new TesseractOptions(), $"Vigil's default: script detection, then fra+eng or ara; lines levelled; small text enlarged; Sauvola; short rows kept; Arabic also read as sparse text; {Megapixels(TesseractOptions.DefaultMaxPixels)} at most"),
            "combined" => (Bare(OcrLanguageStrategy.Combined) with { Languages = ["eng", "ara", "fra"] }, "one pass, eng+ara+fra, no preprocessing, never reduced (Vigil before)"),
            "latin" => (Bare(OcrLanguageStrategy.Combined) with { Languages = ["eng", "fra"] }, "one pass, eng+fra only"),
            "script" => (Bare(OcrLanguageStrategy.ScriptFirst) with { Languages = ["eng", "ara", "fra"], ScriptMinCharacters = 10, ScriptMinCharactersShortText = 0 }, "script detection (OSD, 10 characters or more), then eng+fra or ara; no preprocessing"),
            _ => throw new ArgumentException($"unknown strategy '{parts[0]}' (default, combined, latin, script)"),
        };
        foreach (var modifier in parts.Skip(1))
        {
            (options, description) = modifier switch
            {
                "no-deskew" => (options with { Deskew = false }, description + "; not levelled"),
                "no-up" => (options with { UpscaleBelow = 0 }, description + "; not enlarged"),
                "no-sauvola" => (options with { Parameters = [.. options.Parameters.Where(p => !p.StartsWith("thresholding_method", StringComparison.Ordinal))] }, description + "; Otsu"),
                "no-keeprows" => (options with { Parameters = [.. options.Parameters.Where(p => !p.StartsWith("textord_noise_rejrows", StringComparison.Ordinal))] }, description + "; short rows rejected"),
                "no-sparse" => (options with { SparseScripts = [] }, description + "; Arabic read once"),
                _ when modifier.StartsWith("otsu:", StringComparison.Ordinal) =>
                    (options with
                    {
                        ScriptParameters = new Dictionary<string, IReadOnlyList<string>>(options.ScriptParameters, StringComparer.Ordinal)
                        {
                            [modifier[5..]] = [.. options.Parameters.Where(p => !p.StartsWith("thresholding_method", StringComparison.Ordinal))],
                        },
                    }, description + $"; {modifier[5..]} script binarised by Otsu"),
                "sparse" => (options with { SparseScripts = ["Arabic"], SparseParameters = ["textord_noise_rejrows=0"] }, description + ", Arabic also read as sparse text"),
                "sauvola" => (options with { Parameters = [.. options.Parameters, "thresholding_method=2"] }, description + ", Sauvola binarisation"),
                "deskew" => (options with { Deskew = true }, description + ", lines levelled"),
                "keeprows" => (options with { Parameters = [.. options.Parameters, "textord_noise_rejrows=0"] }, description + ", short rows kept (no noise-row rejection)"),
                _ when modifier.StartsWith("max", StringComparison.Ordinal) =>
                    (options with { MaxPixels = Number(modifier[3..], spec) is > 0 and var max ? max : long.MaxValue },
                        description.Replace($"{Megapixels(options.MaxPixels)} at most", modifier == "max0" ? "never reduced" : $"{Megapixels(Number(modifier[3..], spec))} at most", StringComparison.Ordinal)),
                _ when modifier.StartsWith("order:", StringComparison.Ordinal) =>
                    (options with { Languages = modifier[6..].Split(':') }, description + $", languages in the order {modifier[6..].Replace(':', '+')}"),
                _ when modifier.StartsWith("c:", StringComparison.Ordinal) =>
                    (options with { Parameters = [.. options.Parameters, modifier[2..]] }, description + $", -c {modifier[2..]}"),
                _ when modifier.StartsWith("up", StringComparison.Ordinal) =>
                    (options with { UpscaleBelow = Number(modifier[2..], spec) }, description + $", text under {modifier[2..]} dpi enlarged"),
                _ when modifier.StartsWith("min", StringComparison.Ordinal) =>
                    (options with { ScriptMinCharacters = Number(modifier[3..], spec) }, description + $", script from {modifier[3..]} characters"),
                _ when modifier.StartsWith("conf", StringComparison.Ordinal) =>
                    (options with { ScriptMinConfidence = double.Parse(modifier[4..], CultureInfo.InvariantCulture) }, description + $", script confidence ≥ {modifier[4..]}"),
                _ => throw new ArgumentException($"unknown modifier '{modifier}' in '{spec}'"),
            };
        }

        return new Strategy(spec, description, options);
    }

    /// <summary>No preprocessing, no extra variables, no sparse reading: the engine as it was, apart from the strategy.</summary>
    private static TesseractOptions Bare(OcrLanguageStrategy strategy) =>
        new(Strategy: strategy) { MaxPixels = long.MaxValue, Deskew = false, UpscaleBelow = 0, Parameters = [], SparseScripts = [], SparseParameters = [] };

    private static string Megapixels(long pixels) =>
        (pixels / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + (pixels == 1_000_000 ? " megapixel" : " megapixels");

    private static int Number(string text, string spec) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : throw new ArgumentException($"not a number in '{spec}'");
}
