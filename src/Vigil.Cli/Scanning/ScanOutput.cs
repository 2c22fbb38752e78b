using System.Text;
using System.Text.Json;
using Vigil.Core;
using Vigil.Core.Formats;

namespace Vigil.Cli.Scanning;

/// <summary>The result for one input item: a verdict, or the input problem.</summary>
internal sealed record ScanResult(ScanItem Item, Verdict? Verdict);

/// <summary>The scan's output could not be written: a problem of the destination, not of the input.</summary>
internal sealed class ScanOutputException(IOException inner) : Exception(inner.Message, inner);

/// <summary>Output formats of <c>vigil scan</c>.</summary>
internal enum ScanFormat
{
    Jsonl,
    Csv,
    Txt,
}

/// <summary>
/// Writes scan results. JSON Lines is the contract other tools rely on:
/// <c>{"id","verdict","labels","scores","context","language","evidence":[{"start","end","signal","detail"}],"legal_basis"}</c>,
/// or <c>{"id","error","source"}</c> for input that could not be scanned.
/// </summary>
internal sealed class ScanOutput : IDisposable
{
    private readonly ScanFormat _format;
    private readonly BufferedStream _stream;
    private readonly Utf8JsonWriter _json;
    private readonly StreamWriter _text;
    private readonly CsvWriter? _csv;
    private bool _disposed;

    public ScanOutput(Stream stream, ScanFormat format)
    {
        _format = format;
        _stream = new BufferedStream(stream, 64 * 1024);
        _json = new Utf8JsonWriter(_stream, Commands.CommonOptions.JsonLines);
        _text = new StreamWriter(_stream, new UTF8Encoding(false), 64 * 1024) { NewLine = "\n" };
        if (format == ScanFormat.Csv)
        {
            _csv = new CsvWriter(_text);
            _csv.WriteRecord(["id", "verdict", "labels", "context", "language", .. Taxonomy.All.Select(c => c.Id), "legal_basis", "evidence", "error"]);
        }
    }

    /// <summary>Writes one result.</summary>
    /// <exception cref="ScanOutputException">The output cannot be written (disk full, closed pipe, ...).</exception>
    public void Write(ScanResult result)
    {
        try
        {
            switch (_format)
            {
                case ScanFormat.Jsonl:
                    WriteJson(result);
                    break;
                case ScanFormat.Csv:
                    WriteCsv(result);
                    break;
                default:
                    WriteTxt(result);
                    break;
            }
        }
        catch (IOException e)
        {
            throw new ScanOutputException(e);
        }
    }

    /// <summary>Writes what is buffered.</summary>
    /// <exception cref="ScanOutputException">The output cannot be written.</exception>
    public void Flush()
    {
        try
        {
            _json.Flush();
            _text.Flush();
            _stream.Flush();
        }
        catch (IOException e)
        {
            throw new ScanOutputException(e);
        }
    }

    /// <summary>Flushes what it can and closes the output; a failure to write has been reported by <see cref="Write"/> or
    /// <see cref="Flush"/> already, so it is not thrown again here (every layer would retry the same buffered bytes).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var close in new Action[] { Flush, _json.Dispose, _text.Dispose, _stream.Dispose })
        {
            try
            {
                close();
            }
            catch (Exception e) when (e is IOException or ScanOutputException)
            {
            }
        }
    }

    internal static string ToJson(ScanResult result)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Commands.CommonOptions.JsonLines))
        {
            WriteJsonObject(writer, result);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private void WriteJson(ScanResult result)
    {
        WriteJsonObject(_json, result);
        _json.Flush();
        _json.Reset();
        _stream.WriteByte((byte)'\n');
    }

    private static void WriteJsonObject(Utf8JsonWriter w, ScanResult result)
    {
        w.WriteStartObject();
        w.WriteString("id", result.Item.Id);
        if (result.Verdict is not { } v)
        {
            w.WriteString("error", result.Item.Error);
            w.WriteString("source", result.Item.Source);
            w.WriteEndObject();
            return;
        }

        w.WriteString("verdict", v.Kind.ToWire());
        w.WriteStartArray("labels");
        foreach (var label in v.Labels)
        {
            w.WriteStringValue(label);
        }

        w.WriteEndArray();
        w.WriteStartObject("scores");
        foreach (var category in Taxonomy.All)
        {
            w.WriteNumber(category.Id, v.Scores.GetValueOrDefault(category.Id));
        }

        w.WriteEndObject();
        w.WriteString("context", v.Context.ToWire());
        if (v.Language is null)
        {
            w.WriteNull("language");
        }
        else
        {
            w.WriteString("language", v.Language);
        }

        w.WriteStartArray("evidence");
        foreach (var e in v.Evidence)
        {
            w.WriteStartObject();
            w.WriteNumber("start", e.Start);
            w.WriteNumber("end", e.End);
            w.WriteString("signal", e.Signal);
            w.WriteString("detail", e.Detail);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("legal_basis");
        foreach (var basis in v.LegalBasis)
        {
            w.WriteStringValue(basis);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private void WriteCsv(ScanResult result)
    {
        if (result.Verdict is not { } v)
        {
            _csv!.WriteRecord([result.Item.Id, "", "", "", "", .. Taxonomy.All.Select(_ => ""), "", "", result.Item.Error]);
            return;
        }

        _csv!.WriteRecord([
            result.Item.Id, v.Kind.ToWire(), string.Join(';', v.Labels), v.Context.ToWire(), v.Language ?? "",
            .. Taxonomy.All.Select(c => v.Scores.GetValueOrDefault(c.Id).ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)),
            string.Join(';', v.LegalBasis), v.Evidence.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), "",
        ]);
    }

    private void WriteTxt(ScanResult result)
    {
        if (result.Verdict is not { } v)
        {
            _text.Write($"{result.Item.Id}\terror\t{result.Item.Error}\n");
            return;
        }

        string labels = v.Labels.Count == 0 ? "-" : string.Join(',', v.Labels);
        _text.Write($"{result.Item.Id}\t{v.Kind.ToWire()}\t{labels}\t{v.Context.ToWire()}\t{v.Language ?? "-"}\n");
    }
}
