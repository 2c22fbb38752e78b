using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Vigil.Core.Banks;

/// <summary>
/// Tech Against Terrorism's hash list: JSON objects with <c>hash_digest</c>, <c>algorithm</c> (<c>PDQ</c>,
/// <c>MD5</c>, <c>SHA256</c>), <c>ideology</c>, <c>file_type</c>, <c>deleted</c>, <c>created_on</c>,
/// <c>updated_on</c> and <c>id</c>.
/// </summary>
/// <remarks>
/// Accepted layouts: a JSON array of entries (the downloaded list), an API page
/// <c>{"count", "next", "checkpoint", "results": [...]}</c>, or a sequence of entry objects (JSON Lines).
/// Dates are Unix seconds (numbers, as <c>updated_on</c>) or text (ISO 8601 or <c>2025-03-03 23:05:22,587</c>,
/// taken as UTC). A record with <c>"deleted": true</c> removes that hash from the bank. Vigil adds the optional
/// fields <c>organisation</c>, <c>category</c> (taxonomy id), <c>tags</c>, <c>source</c>, <c>confidence</c> and
/// <c>opinion</c> on export, and reads them back.
/// </remarks>
internal static class TatJson
{
    /// <summary>Largest file read (it is read whole).</summary>
    public const int MaxBytes = 1 << 30;

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IEnumerable<BankFileRow> Read(Stream stream, BankImportOptions options)
    {
        byte[] bytes;
        using (var buffer = new MemoryStream())
        {
            var chunk = new byte[81920];
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                {
                    return [new BankFileRow(1, Problem: $"the file is larger than {MaxBytes} bytes")];
                }

                buffer.Write(chunk, 0, read);
            }

            bytes = buffer.ToArray();
        }

        return Parse(bytes, options);
    }

    private static List<BankFileRow> Parse(byte[] bytes, BankImportOptions options)
    {
        var rows = new List<BankFileRow>();
        var lines = new LineCounter(bytes);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions
        {
            AllowMultipleValues = true,
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            MaxDepth = 64,
        });
        try
        {
            bool any = false;
            while (reader.Read())
            {
                any = true;
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartArray:
                        ReadArray(ref reader, lines, rows, options);
                        break;
                    case JsonTokenType.StartObject:
                        var probe = reader;
                        using (var doc = JsonDocument.ParseValue(ref probe))
                        {
                            if (doc.RootElement.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array)
                            {
                                ReadPage(ref reader, lines, rows, options);
                            }
                            else
                            {
                                rows.Add(Entry(lines.LineAt(reader.TokenStartIndex), doc.RootElement, options));
                                reader = probe;
                            }
                        }

                        break;
                    default:
                        rows.Add(new BankFileRow(lines.LineAt(reader.TokenStartIndex), Problem: "expected a JSON array or object of hash records"));
                        reader.Skip();
                        break;
                }
            }

            if (!any)
            {
                rows.Add(new BankFileRow(1, Problem: "empty file: no JSON"));
            }
        }
        catch (JsonException e)
        {
            rows.Add(new BankFileRow((e.LineNumber ?? 0) + 1, Problem: $"invalid JSON, the rest of the file is not read: {e.Message}"));
        }

        return rows;
    }

    /// <summary>At a page object's start: streams its <c>results</c> array, skips the other properties.</summary>
    private static void ReadPage(ref Utf8JsonReader reader, LineCounter lines, List<BankFileRow> rows, BankImportOptions options)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool results = reader.ValueTextEquals("results");
            reader.Read();
            if (results && reader.TokenType == JsonTokenType.StartArray)
            {
                ReadArray(ref reader, lines, rows, options);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary>At an array's start: one row per element, up to its end.</summary>
    private static void ReadArray(ref Utf8JsonReader reader, LineCounter lines, List<BankFileRow> rows, BankImportOptions options)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            long line = lines.LineAt(reader.TokenStartIndex);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                rows.Add(new BankFileRow(line, Problem: $"expected a hash record (a JSON object), found {Describe(reader.TokenType)}"));
                reader.Skip();
                continue;
            }

            using var doc = JsonDocument.ParseValue(ref reader);
            rows.Add(Entry(line, doc.RootElement, options));
        }
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static BankFileRow Entry(long line, JsonElement e, BankImportOptions options)
    {
        string? Text(string name) => e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String && p.GetString() is { Length: > 0 } s ? s.Trim() : null;

        if (!e.TryGetProperty("hash_digest", out var digest) || digest.ValueKind != JsonValueKind.String)
        {
            return new BankFileRow(line, Problem: "no \"hash_digest\" string");
        }

        var algorithm = Text("algorithm");
        if (algorithm is null)
        {
            return new BankFileRow(line, Problem: "no \"algorithm\"");
        }

        if (!options.TryType(algorithm, out var type))
        {
            return new BankFileRow(line, Problem: $"algorithm '{PlainHashList.Shorten(algorithm)}' is not supported ({options.Types.Names.ToUpperInvariant()})");
        }

        if (type.Normalize(digest.GetString(), out var value) is { } valueProblem)
        {
            return new BankFileRow(line, Problem: valueProblem);
        }

        bool deleted = false;
        if (e.TryGetProperty("deleted", out var deletedElement))
        {
            switch (deletedElement.ValueKind)
            {
                case JsonValueKind.True:
                    deleted = true;
                    break;
                case JsonValueKind.False or JsonValueKind.Null:
                    break;
                default:
                    return new BankFileRow(line, Problem: "\"deleted\" is not true or false");
            }
        }

        if (deleted)
        {
            return new BankFileRow(line, Deletion: new BankEntryKey(type.Name, value));
        }

        DateTimeOffset? createdOn = null, updatedOn = null;
        foreach (var name in (string[])["created_on", "updated_on"])
        {
            if (!e.TryGetProperty(name, out var d) || d.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            DateTimeOffset date = default;
            bool ok = d.ValueKind == JsonValueKind.Number
                ? BankImporter.TryFromUnixSeconds(d.GetDouble(), out date)
                : d.ValueKind == JsonValueKind.String && BankImporter.TryParseDate(d.GetString()!, out date);
            if (!ok)
            {
                return new BankFileRow(line, Problem: $"\"{name}\" is not a date ({PlainHashList.Shorten(d.GetRawText())})");
            }

            if (name == "created_on")
            {
                createdOn = date;
            }
            else
            {
                updatedOn = date;
            }
        }

        string? id = e.TryGetProperty("id", out var idElement) && idElement.ValueKind is JsonValueKind.Number or JsonValueKind.String
            ? idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : idElement.GetRawText()
            : null;

        IReadOnlyList<string>? tags = null;
        if (e.TryGetProperty("tags", out var tagsElement) && tagsElement.ValueKind == JsonValueKind.Array)
        {
            tags = [.. tagsElement.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!)];
        }

        double? confidence = e.TryGetProperty("confidence", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetDouble() : null;
        var opinion = Text("opinion")?.ToLowerInvariant() switch
        {
            "investigate" => BankOpinion.Investigate,
            "false_positive" => BankOpinion.FalsePositive,
            _ => BankOpinion.Positive,
        };
        var labels = new BankLabels(Text("organisation"), Text("ideology"), Text("category"), tags is { Count: > 0 } ? tags : null);
        return new BankFileRow(line, new BankEntry(type.Name, value, labels, Text("source"), id, opinion, confidence, Text("file_type"), createdOn, updatedOn));
    }

    /// <summary>Writes the entries as a TAT hash list (a JSON array, one record a line); returns how many.</summary>
    public static long Write(Stream stream, IEnumerable<BankEntry> entries)
    {
        long count = 0;
        stream.Write("["u8);
        using (var json = new Utf8JsonWriter(stream, WriterOptions))
        {
            foreach (var e in entries)
            {
                stream.Write(count == 0 ? "\n"u8 : ",\n"u8);
                json.Reset();
                json.WriteStartObject();
                json.WriteString("hash_digest", e.Value);
                json.WriteString("algorithm", e.SignalType.ToUpperInvariant());
                WriteOptional(json, "ideology", e.LabelsOrNone.Ideology);
                WriteOptional(json, "file_type", e.FileType);
                json.WriteBoolean("deleted", false);
                if (e.CreatedOn is { } created)
                {
                    json.WriteString("created_on", created.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
                }

                if (e.UpdatedOn is { } updated)
                {
                    json.WriteNumber("updated_on", updated.ToUnixTimeMilliseconds() / 1000.0);
                }

                if (e.ExternalId is { } id)
                {
                    if (long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric))
                    {
                        json.WriteNumber("id", numeric);
                    }
                    else
                    {
                        json.WriteString("id", id);
                    }
                }

                WriteOptional(json, "organisation", e.LabelsOrNone.Organisation);
                WriteOptional(json, "category", e.LabelsOrNone.Category);
                if (e.LabelsOrNone.TagList.Count > 0)
                {
                    json.WriteStartArray("tags");
                    foreach (var tag in e.LabelsOrNone.TagList)
                    {
                        json.WriteStringValue(tag);
                    }

                    json.WriteEndArray();
                }

                WriteOptional(json, "source", e.Source);
                if (e.Confidence is { } confidence)
                {
                    json.WriteNumber("confidence", confidence);
                }

                if (e.Opinion != BankOpinion.Positive)
                {
                    json.WriteString("opinion", e.Opinion == BankOpinion.Investigate ? "investigate" : "false_positive");
                }

                json.WriteEndObject();
                json.Flush();
                count++;
            }
        }

        stream.Write("\n]\n"u8);
        return count;
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    /// <summary>1-based line numbers of byte offsets, for offsets that only grow or repeat.</summary>
    private sealed class LineCounter(byte[] bytes)
    {
        private long _offset;
        private long _line = 1;

        public long LineAt(long offset)
        {
            if (offset > _offset)
            {
                _line += bytes.AsSpan((int)_offset, (int)(offset - _offset)).Count((byte)'\n');
                _offset = offset;
            }

            return _line;
        }
    }
}
