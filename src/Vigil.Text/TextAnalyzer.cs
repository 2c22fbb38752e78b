using Vigil.Core;
using Vigil.Text.Classification;
using Vigil.Text.Context;
using Vigil.Text.Language;
using Vigil.Text.Lexicon;
using Vigil.Text.Normalization;

namespace Vigil.Text;

/// <summary>
/// Runs Vigil's text detectors on a post and fuses their signals into a score per category. The detectors are
/// independent: the lists matcher (designations and coded terms), the linear classifier, the context detector and
/// the language identifier each see the normalised text and emit signals; only the fusion step here combines
/// them. Thread-safe: one instance serves all threads.
/// </summary>
public sealed class TextAnalyzer
{
    private readonly PhraseMatcher _lists;
    private readonly LinearModel _model;
    private readonly ContextDetector _context = new();
    private readonly LanguageIdentifier? _language;
    private readonly int _terrorismHead;
    private readonly int _hateHead;
    private readonly int _newsHead;

    public TextAnalyzer(TextResources resources, bool identifyLanguage = true)
    {
        _lists = new PhraseMatcher(resources.Entries);
        _model = resources.Model;
        _terrorismHead = _model.HeadIndex("terrorism");
        _hateHead = _model.HeadIndex("hate");
        _newsHead = _model.HeadIndex("news");
        _language = identifyLanguage ? new LanguageIdentifier() : null;
    }

    /// <summary>How many distinct list forms the matcher holds.</summary>
    public int ListFormCount => _lists.FormCount;

    public Assessment Assess(string text)
    {
        var normalized = TextNormalizer.Normalize(text);
        var signals = new List<Signal>(8);

        // Lists: designations and coded terms.
        var matches = _lists.Match(normalized);
        foreach (var match in matches)
        {
            signals.Add(ListSignal(match));
        }

        // Classifier.
        Span<float> probabilities = stackalloc float[_model.Heads.Count];
        _model.Predict(normalized.Value, probabilities);
        double terrorism = _terrorismHead >= 0 ? probabilities[_terrorismHead] : 0;
        double hate = _hateHead >= 0 ? probabilities[_hateHead] : 0;
        double news = _newsHead >= 0 ? probabilities[_newsHead] : 0;
        signals.Add(new Signal(SignalTypes.Classifier, "terrorism", terrorism, []));
        signals.Add(new Signal(SignalTypes.Classifier, Taxonomy.Hate.Id, hate, []));

        // Context and language.
        var context = _context.Detect(normalized, news);
        signals.Add(new Signal(SignalTypes.Context, context.Context.ToWire(), context.Score, context.Evidence));
        string? language = _language?.Identify(text);
        if (language is not null)
        {
            signals.Add(new Signal(SignalTypes.Language, language, 1, []));
        }

        var scores = ScoreFusion.Fuse(terrorism, hate, matches);
        return new Assessment(scores, context.Context, language, signals);
    }

    private static Signal ListSignal(LexiconMatch match)
    {
        var first = match.Entries[0];
        bool designation = first.IsDesignation;
        string detail = designation
            ? string.Join("; ", match.Entries.Select(e => $"{e.Name} ({ListTitle(e.List)}{(e.Reference is null ? "" : " " + e.Reference)}{(e.ListedOn is null ? "" : ", listed " + e.ListedOn)})"))
            : $"{first.Name}: {first.Note ?? "coded term"} ({first.Strength.ToString().ToLowerInvariant()} {first.Category} cue)";
        double score = designation ? 1 : first.Strength == TermStrength.Strong ? 0.9 : 0.5;
        return new Signal(
            designation ? SignalTypes.Designation : SignalTypes.Lexicon,
            designation ? Taxonomy.TerrorismSupport.Id : first.Category,
            score,
            [new Evidence(match.Start, match.End, designation ? SignalTypes.Designation : SignalTypes.Lexicon, detail)]);
    }

    private static string ListTitle(string list) => list switch
    {
        "un-sc" => "UN Security Council sanctions list",
        "uk-proscribed" => "UK proscribed organisation",
        "us-fto" => "US Foreign Terrorist Organization",
        _ => list,
    };
}
