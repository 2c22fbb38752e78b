using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Vigil.Core.Formats;

/// <summary>Reading JSON text the way posts arrive from real platforms.</summary>
public static class JsonText
{
    /// <summary>
    /// A JSON string's value, with an escaped lone surrogate (<c>"\ud83d"</c>, what JavaScript's JSON.stringify writes for
    /// half an emoji cut off by a length limit) read as U+FFFD instead of refusing the whole post. The replacement is one
    /// UTF-16 unit, like the surrogate, so evidence offsets still point into the text as sent. Bytes that are not UTF-8
    /// (a JSON parser does not check inside strings) become U+FFFD too, as a lenient UTF-8 decoder reads them.
    /// </summary>
    public static string ReadString(JsonElement element)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // The token as written, quotes and escapes included, and already known to be valid JSON.
            string raw = RawText(element);
            var value = new StringBuilder(raw.Length);
            for (int i = 1; i < raw.Length - 1; i++)
            {
                char c = raw[i];
                if (c != '\\')
                {
                    value.Append(c);
                    continue;
                }

                char escape = raw[++i];
                if (escape != 'u')
                {
                    value.Append(escape switch { 'n' => '\n', 'r' => '\r', 't' => '\t', 'b' => '\b', 'f' => '\f', _ => escape });
                    continue;
                }

                value.Append((char)Convert.ToUInt16(raw.Substring(i + 1, 4), 16));
                i += 4;
            }

            for (int i = 0; i < value.Length; i++)
            {
                if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                }
                else if (char.IsSurrogate(value[i]))
                {
                    value[i] = '\uFFFD';
                }
            }

            return value.ToString();
        }
    }

    /// <summary>
    /// Why a property name (at any depth) cannot be read as text, or null when every name reads: an escaped lone
    /// surrogate such as <c>{"\ud800": 1}</c> is valid JSON, but reading or even looking up such a name throws
    /// <see cref="InvalidOperationException"/>. Callers refuse the object (or line) with this message instead of letting
    /// that exception escape.
    /// </summary>
    public static string? NameProblem(JsonElement element) =>
        UnreadableName(element) is { } name
            ? $"the field name \"{(name.Length <= 40 ? name : name[..40] + "…")}\" has an unpaired surrogate escape (\\ud800-\\udfff without its other half)"
            : null;

    private static string? UnreadableName(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var raw = JsonMarshal.GetRawUtf8PropertyName(property);
                    if (raw.Contains((byte)'\\'))
                    {
                        try
                        {
                            _ = property.Name;
                        }
                        catch (InvalidOperationException)
                        {
                            return Encoding.UTF8.GetString(raw);
                        }
                    }

                    if (UnreadableName(property.Value) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (UnreadableName(item) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>A JSON value as written (for keeping an object as it came), with bytes that are not UTF-8 read as U+FFFD
    /// instead of throwing as <see cref="JsonElement.GetRawText"/> does.</summary>
    public static string RawText(JsonElement element) => Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(element));
}
