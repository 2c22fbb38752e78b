using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vigil.Core.Banks;

/// <summary>
/// A bank's settings, one JSON object per signal type name (e.g. <c>{"pdq": {"threshold": 20}}</c>). Stored as they are;
/// each signal type reads its own (<see cref="Signals.SignalType.ParseSettings"/>). Immutable, compared by content.
/// </summary>
public sealed class BankSettings : IEquatable<BankSettings>
{
    private readonly SortedDictionary<string, string> _json;

    private BankSettings(SortedDictionary<string, string> json) => _json = json;

    /// <summary>No settings: every signal type's defaults.</summary>
    public static BankSettings None { get; } = new(new SortedDictionary<string, string>(StringComparer.Ordinal));

    /// <summary>The signal types with settings, in ordinal order.</summary>
    public IEnumerable<string> Types => _json.Keys;

    /// <summary>Whether there are none.</summary>
    public bool IsEmpty => _json.Count == 0;

    /// <summary>The settings of <paramref name="signalType"/> (a fresh copy), or null.</summary>
    public JsonObject? For(string signalType) =>
        _json.TryGetValue(signalType, out var text) ? JsonNode.Parse(text)!.AsObject() : null;

    /// <summary>These settings with <paramref name="signalType"/>'s replaced (removed when null or empty).</summary>
    public BankSettings With(string signalType, JsonObject? settings)
    {
        var copy = new SortedDictionary<string, string>(_json, StringComparer.Ordinal);
        if (settings is null || settings.Count == 0)
        {
            copy.Remove(signalType);
        }
        else
        {
            copy[signalType] = settings.ToJsonString();
        }

        return new BankSettings(copy);
    }

    /// <summary>The whole map as one JSON object.</summary>
    public string ToJson()
    {
        var all = new JsonObject();
        foreach (var (type, json) in _json)
        {
            all[type] = JsonNode.Parse(json);
        }

        return all.ToJsonString();
    }

    /// <summary>Reads <see cref="ToJson"/>'s form; null or empty is <see cref="None"/>.</summary>
    /// <exception cref="FormatException">Not a JSON object of objects.</exception>
    public static BankSettings Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return None;
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Bank settings are not valid JSON: {e.Message}", e);
        }

        if (node is not JsonObject all)
        {
            throw new FormatException("Bank settings must be a JSON object with one object per signal type.");
        }

        var result = None;
        foreach (var (type, value) in all)
        {
            if (value is not JsonObject settings)
            {
                throw new FormatException($"The settings of '{type}' must be a JSON object.");
            }

            result = result.With(type, settings);
        }

        return result;
    }

    public bool Equals(BankSettings? other) => other is not null && _json.Count == other._json.Count && _json.All(kv => other._json.TryGetValue(kv.Key, out var v) && v == kv.Value);

    public override bool Equals(object? obj) => Equals(obj as BankSettings);

    public override int GetHashCode() => ToJson().GetHashCode(StringComparison.Ordinal);

    public override string ToString() => ToJson();
}
