namespace Vigil.Core.Banks;

/// <summary>File formats of bank import and export.</summary>
public enum BankFileFormat
{
    /// <summary>One hex hash a line (like upstream's <c>needles.txt</c>); <c>#</c> comments and blank lines are skipped.</summary>
    Plain,

    /// <summary>The CSV of python-threatexchange's <c>dataset --print-signals --csv</c> (HMA's form).</summary>
    ThreatExchangeCsv,

    /// <summary>Tech Against Terrorism's hash list JSON.</summary>
    TatJson,

    /// <summary>Texts, one document a line (a statement, a leaflet's text): each is hashed with every text signal type
    /// (<c>text_sha256</c>, <c>text_minhash</c>) and only the hashes are kept, never the text. Import only.</summary>
    Documents,
}

/// <summary>Names of <see cref="BankFileFormat"/> on the command line: <c>plain</c>, <c>te-csv</c>, <c>tat-json</c>.</summary>
public static class BankFileFormats
{
    /// <summary>The command-line names, in order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["plain", "te-csv", "tat-json", "documents"];

    /// <summary>The formats a bank can be exported in (documents are import only).</summary>
    public static IReadOnlyList<string> ExportNames { get; } = ["plain", "te-csv", "tat-json"];

    public static string ToWire(this BankFileFormat format) => format switch
    {
        BankFileFormat.ThreatExchangeCsv => "te-csv",
        BankFileFormat.TatJson => "tat-json",
        BankFileFormat.Documents => "documents",
        _ => "plain",
    };

    public static bool TryParse(string? name, out BankFileFormat format)
    {
        switch (name?.ToLowerInvariant())
        {
            case "plain" or "txt":
                format = BankFileFormat.Plain;
                return true;
            case "te-csv" or "csv" or "threatexchange":
                format = BankFileFormat.ThreatExchangeCsv;
                return true;
            case "tat-json" or "json" or "tat":
                format = BankFileFormat.TatJson;
                return true;
            case "documents" or "docs":
                format = BankFileFormat.Documents;
                return true;
            default:
                format = default;
                return false;
        }
    }

    /// <summary>The format an export's file name asks for: <c>.csv</c> ThreatExchange CSV, <c>.json</c>/<c>.jsonl</c> TAT JSON, else
    /// plain. Imports go by the content instead (<see cref="BankFormatDetector"/>).</summary>
    public static BankFileFormat FromFileName(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".csv" => BankFileFormat.ThreatExchangeCsv,
        ".json" or ".jsonl" or ".ndjson" => BankFileFormat.TatJson,
        _ => BankFileFormat.Plain,
    };
}
