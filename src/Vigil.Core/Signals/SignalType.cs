using System.Text.Json.Nodes;

namespace Vigil.Core.Signals;

/// <summary>
/// One kind of hash that content can be matched by against hash banks, after python-threatexchange's
/// <c>SignalType</c>: PDQ, MD5 and SHA-256 for files and images, <c>text_sha256</c> and <c>text_minhash</c> for text.
/// A signal type declares everything about its hashes in one class: its name, the content part types it hashes, how a
/// hash value is checked and written canonically, how content is hashed, the per-bank settings it understands, its
/// index, and when a match counts and how close it is. Register each once (<see cref="SignalTypeRegistry"/>); banks,
/// imports, exports, the pipeline and the API then handle it without further code.
/// </summary>
/// <remarks>Implementations are immutable and thread-safe.</remarks>
public abstract class SignalType
{
    /// <summary>The wire name: lowercase ASCII letters, digits and '_', e.g. <c>pdq</c>. Stored with bank entries, used
    /// as the signal and evidence type of matches.</summary>
    public abstract string Name { get; }

    /// <summary>Other names other tools use for it (e.g. python-threatexchange's <c>video_md5</c>), accepted on import.</summary>
    public virtual IReadOnlyList<string> Aliases => [];

    /// <summary>The name ThreatExchange CSV exports write (python-threatexchange's, e.g. <c>video_md5</c>); the
    /// <see cref="Name"/> unless it differs.</summary>
    public virtual string ThreatExchangeName => Name;

    /// <summary>One line for help texts and docs.</summary>
    public abstract string Description { get; }

    /// <summary>The content part types (<see cref="Content.PartTypes"/>) it hashes.</summary>
    public abstract IReadOnlyList<string> PartTypes { get; }

    /// <summary>Checks a hash value and writes it canonically (e.g. trimmed lowercase hex).</summary>
    /// <returns>Null when the value is valid, else why not, in words a user can act on.</returns>
    public abstract string? Normalize(string? value, out string normalized);

    /// <summary>The hashes of a part (none when the part lacks what this type needs, e.g. undecodable pixels).</summary>
    public abstract IEnumerable<ContentHash> Hash(PartView part);

    /// <summary>The settings a bank has for this type unless it says otherwise.</summary>
    public virtual SignalSettings DefaultSettings => NoSettings.Instance;

    /// <summary>Reads a bank's settings for this type (a JSON object; null: the defaults).</summary>
    /// <exception cref="FormatException">Unknown fields or values out of range; the message says which.</exception>
    public virtual SignalSettings ParseSettings(JsonObject? json)
    {
        if (json is { Count: > 0 })
        {
            throw new FormatException($"{Name} has no settings (not '{json.First().Key}').");
        }

        return DefaultSettings;
    }

    /// <summary>An index over <paramref name="values"/> (canonical hashes); hits are positions in that list. It must find
    /// every entry that any of <paramref name="settings"/> would accept (the settings of the banks that hold them).</summary>
    public virtual ISignalIndex CreateIndex(IReadOnlyList<string> values, IReadOnlyCollection<SignalSettings> settings) => new ExactIndex(values);

    /// <summary>Why a query hash is not matched in a bank with these settings at all (e.g. its PDQ quality is under the
    /// bank's minimum), or null when it is.</summary>
    public virtual string? Skip(ContentHash query, SignalSettings settings) => null;

    /// <summary>Whether a hit at <paramref name="distance"/> is a match in a bank with these settings.</summary>
    public virtual bool Accepts(double distance, SignalSettings settings) => distance == 0;

    /// <summary>How close a match is, from 1 (identical) down to above 0 (just within the bank's threshold); a match's
    /// score is its entry's confidence times this.</summary>
    public virtual double Closeness(double distance, SignalSettings settings) => 1;

    /// <summary>How the match is described in evidence, e.g. <c>pdq distance 12 of 31</c> or <c>md5 exact</c>.</summary>
    public virtual string DescribeMatch(double distance, SignalSettings settings) => $"{Name} exact";

    public override string ToString() => Name;

    /// <summary>Whether <paramref name="name"/> may be a signal type's name: 1-32 lowercase ASCII letters, digits or '_',
    /// starting with a letter.</summary>
    public static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= 32 } && char.IsAsciiLetterLower(name[0]) && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');

    /// <summary>Checks that <paramref name="value"/> is <paramref name="digits"/> hex digits and lowercases it; the common
    /// rule of hex hashes.</summary>
    protected string? NormalizeHex(string? value, int digits, out string normalized)
    {
        normalized = "";
        var text = (value ?? "").Trim();
        if (text.Length == 0)
        {
            return "empty hash value";
        }

        if (text.Length != digits)
        {
            return $"a {Name} hash is {digits} hex digits, not {Math.Min(text.Length, 9999)}";
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return $"'{(char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : c.ToString())}' is not a hex digit";
            }
        }

        normalized = text.ToLowerInvariant();
        return null;
    }
}

/// <summary>A bank's settings for one signal type (e.g. PDQ's threshold and minimum quality).</summary>
public abstract record SignalSettings
{
    /// <summary>The settings as the JSON object <see cref="SignalType.ParseSettings"/> reads back.</summary>
    public abstract JsonObject ToJson();
}

/// <summary>The settings of a signal type that has none.</summary>
public sealed record NoSettings : SignalSettings
{
    public static NoSettings Instance { get; } = new();

    public override JsonObject ToJson() => [];
}
