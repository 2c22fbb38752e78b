using System.Text.Json;
using Vigil.Core.Formats;

namespace Vigil.Server.Api;

/// <summary>A field of a JSON object that is missing, unknown or of the wrong kind; the message says which and why.</summary>
public sealed class JsonFieldException(string message) : Exception(message);

/// <summary>Typed reads of a JSON object's fields with messages that name the field (for hand-checked bodies).</summary>
public static class JsonFields
{
    /// <exception cref="JsonFieldException">The object has a field not in <paramref name="known"/>.</exception>
    public static void OnlyKnown(JsonElement obj, IReadOnlyCollection<string> known)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                throw new JsonFieldException($"unknown field '{Shorten(property.Name)}' (known: {string.Join(", ", known)})");
            }
        }
    }

    /// <summary>The string, or null when absent or null.</summary>
    public static string? Text(JsonElement obj, string name, int maxLength)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new JsonFieldException($"'{name}' must be a string, not {Kind(value)}");
        }

        string text = JsonText.ReadString(value);
        return text.Length <= maxLength && !text.Any(char.IsControl)
            ? text
            : throw new JsonFieldException($"'{name}' must be at most {maxLength} characters, without control characters");
    }

    public static bool? Bool(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : throw new JsonFieldException($"'{name}' must be true or false, not {Kind(value)}");
    }

    public static int? WholeNumber(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n)
            ? n
            : throw new JsonFieldException($"'{name}' must be a whole number, not {Kind(value)}");
    }

    public static double? Number(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : throw new JsonFieldException($"'{name}' must be a number, not {Kind(value)}");
    }

    public static DateTimeOffset? Date(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var date)
            ? date
            : throw new JsonFieldException($"'{name}' must be an ISO 8601 date and time, e.g. 2025-03-01T12:00:00Z");
    }

    public static IReadOnlyList<string>? Strings(JsonElement obj, string name, int maxItems, int maxLength)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > maxItems)
        {
            throw new JsonFieldException($"'{name}' must be an array of at most {maxItems} strings");
        }

        var items = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            string? text = item.ValueKind == JsonValueKind.String ? JsonText.ReadString(item) : null;
            if (text is null || text.Length > maxLength)
            {
                throw new JsonFieldException($"'{name}' must hold strings of at most {maxLength} characters");
            }

            items.Add(text);
        }

        return items;
    }

    /// <summary>"an object", "a number"...: how a value of the wrong kind is named in messages.</summary>
    public static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
