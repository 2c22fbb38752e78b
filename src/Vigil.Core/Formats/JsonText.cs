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

    /// <summary>A JSON value as written (for keeping an object as it came), with bytes that are not UTF-8 read as U+FFFD
    /// instead of throwing as <see cref="JsonElement.GetRawText"/> does.</summary>
    public static string RawText(JsonElement element) => Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(element));
}
