namespace Vigil.Text.Lexicon;

/// <summary>How much a coded term says on its own.</summary>
public enum TermStrength
{
    /// <summary>Common in ordinary religious, political or news language; suggestive only with other signals.</summary>
    Weak,

    /// <summary>Almost only used by supporters, or the name of an official media outlet, publication or slogan.</summary>
    Strong,
}

/// <summary>
/// One entry of a reference list: a designated organisation or person, or a coded term.
/// </summary>
/// <param name="Name">Display name (the list's own spelling).</param>
/// <param name="Forms">Every surface form to look for: the name, aliases, transliterations.</param>
/// <param name="List">Which list it comes from: <c>un-sc</c>, <c>uk-proscribed</c>, <c>us-fto</c>, <c>vigil-coded-terms</c>.</param>
/// <param name="Kind"><c>entity</c>, <c>individual</c> or <c>coded_term</c>.</param>
/// <param name="Category">The taxonomy category a match speaks for.</param>
/// <param name="Strength">For coded terms; designations are <see cref="TermStrength.Strong"/>.</param>
/// <param name="Reference">The list's own id (e.g. a UN reference number), if any.</param>
/// <param name="ListedOn">Date of listing, as the source gives it.</param>
/// <param name="Source">Where the entry was taken from (URL or citation).</param>
/// <param name="Note">What the entry is, in a few words.</param>
public sealed record LexiconEntry(
    string Name,
    IReadOnlyList<string> Forms,
    string List,
    string Kind,
    string Category,
    TermStrength Strength,
    string? Reference = null,
    string? ListedOn = null,
    string? Source = null,
    string? Note = null)
{
    public bool IsDesignation => Kind is "entity" or "individual";
}

/// <summary>A list entry found in a text.</summary>
/// <param name="Start">Start in the original text.</param>
/// <param name="End">End (exclusive) in the original text.</param>
/// <param name="Form">The normalised form that matched.</param>
/// <param name="Entries">Every entry with that form (an organisation is often on several lists).</param>
public sealed record LexiconMatch(int Start, int End, string Form, IReadOnlyList<LexiconEntry> Entries);
