using Vigil.Core.Signals;

namespace Vigil.Core.Banks;

/// <summary>
/// A named bank of known content (hashes of images, files and texts), as in Meta's HMA and GIFCT's hash-sharing database.
/// </summary>
/// <param name="Name">Unique name: 1-64 ASCII letters, digits, '-', '_' or '.'.</param>
/// <param name="Enabled">Disabled banks are kept but not matched.</param>
/// <param name="AllowList">
/// An allow-list holds known false positives: a match in it suppresses the matches of the same content in every
/// other bank (and the suppression is reported).
/// </param>
/// <param name="Description">Free text: where the bank comes from.</param>
/// <param name="CreatedAt">When the bank was created here.</param>
/// <param name="UpdatedAt">When the bank or its entries last changed.</param>
public sealed record HashBank(
    string Name,
    bool Enabled = true,
    bool AllowList = false,
    string? Description = null,
    DateTimeOffset CreatedAt = default,
    DateTimeOffset UpdatedAt = default)
{
    /// <summary>Longest bank name.</summary>
    public const int MaxNameLength = 64;

    /// <summary>
    /// What a match in this bank asks the policy to do at least (<c>remove</c> for a bank of known terrorist content that
    /// must come down, say); null: the policy decides, and a match is reviewed at least. Allow-lists ask nothing.
    /// </summary>
    public ModerationAction? OnMatch { get; init; }

    /// <summary>The bank's settings per signal type (e.g. PDQ's threshold); a type it has none for uses the type's defaults.</summary>
    public BankSettings Settings { get; init; } = BankSettings.None;

    /// <summary>The bank's settings for <paramref name="type"/>, parsed.</summary>
    /// <exception cref="FormatException">The stored settings are not valid for the type.</exception>
    public SignalSettings SettingsFor(SignalType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.ParseSettings(Settings.For(type.Name));
    }

    /// <summary>Null when the bank's name and settings are valid, else the first problem.</summary>
    public string? Validate(SignalTypeRegistry types)
    {
        ArgumentNullException.ThrowIfNull(types);
        if (ValidateName(Name) is { } nameProblem)
        {
            return nameProblem;
        }

        if (OnMatch == ModerationAction.Allow || (AllowList && OnMatch is not null))
        {
            return AllowList ? "an allow-list asks for no action on a match" : "a bank's on-match action is review, hide_pending_review, remove or escalate";
        }

        foreach (var name in Settings.Types)
        {
            if (!types.TryGet(name, out var type) || type.Name != name)
            {
                return $"settings for an unknown signal type '{name}' (known: {types.Names})";
            }

            try
            {
                type.ParseSettings(Settings.For(name));
            }
            catch (FormatException e)
            {
                return e.Message;
            }
        }

        return null;
    }

    /// <summary>Null when <paramref name="name"/> is a valid bank name, else why not.</summary>
    public static string? ValidateName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            return $"a bank name has 1-{MaxNameLength} characters";
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return $"a bank name may only hold ASCII letters, digits, '-', '_' and '.' (not '{c}')";
            }
        }

        return null;
    }
}
