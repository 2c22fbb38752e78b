using Vigil.Core;
using Vigil.Text.Lexicon;
using Vigil.Text.Normalization;

namespace Vigil.Text.Context;

/// <summary>
/// Recognises the purpose a post serves from its framing: news reporting (agency datelines, attribution,
/// reporting verbs), counter-speech (condemnation, rebuttal, mourning), research (studies, data, analysis) and
/// discussion (questions and opinions about the topic). Each cue found is evidence; the context with the most
/// weight wins if it passes a minimum, else <see cref="ContentContext.None"/>.
/// </summary>
/// <remarks>
/// Cues are phrases, matched on normalised text with the same whole-word matcher as the lists, in English,
/// French and Arabic. A linear <c>news</c> score from the text model (trained on news articles against posts)
/// can be supplied to reinforce news framing that no cue names.
/// </remarks>
public sealed class ContextDetector
{
    /// <summary>Total cue weight a context needs before it is assigned.</summary>
    public const double MinimumWeight = 1.0;

    private readonly PhraseMatcher _matcher;

    public ContextDetector()
    {
        _matcher = new PhraseMatcher(Cues.Select(c => new LexiconEntry(
            c.Phrase, [c.Phrase], "vigil-context-cues", "context_cue", Taxonomy.TerrorismSupport.Id, TermStrength.Weak, Note: $"{c.Context.ToWire()}:{c.Weight}"))
            .GroupBy(e => TextNormalizer.NormalizeToString(e.Name))
            .Select(g => g.First()));
        _weights = Cues.GroupBy(c => TextNormalizer.NormalizeToString(c.Phrase)).ToDictionary(g => g.Key, g => g.First());
    }

    private readonly Dictionary<string, Cue> _weights;

    /// <summary>Finds the context of <paramref name="text"/>; <paramref name="newsScore"/> is the text model's news probability, if any.</summary>
    public ContextResult Detect(NormalizedText text, double newsScore = 0)
    {
        Span<double> weight = stackalloc double[5];
        var evidence = new List<Evidence>();
        foreach (var match in _matcher.Match(text))
        {
            if (!_weights.TryGetValue(match.Form, out var cue))
            {
                continue;
            }

            weight[(int)cue.Context] += cue.Weight;
            evidence.Add(new Evidence(match.Start, match.End, SignalKinds.Context, $"{cue.Context.ToWire()} cue: {Describe(cue.Context)}"));
        }

        if (newsScore > 0.5)
        {
            weight[(int)ContentContext.News] += 2 * (newsScore - 0.5) * 1.5;
        }

        var best = ContentContext.None;
        double bestWeight = 0;
        foreach (var context in (ReadOnlySpan<ContentContext>)[ContentContext.News, ContentContext.CounterSpeech, ContentContext.Research, ContentContext.Discussion])
        {
            if (weight[(int)context] > bestWeight)
            {
                best = context;
                bestWeight = weight[(int)context];
            }
        }

        if (bestWeight < MinimumWeight)
        {
            return new ContextResult(ContentContext.None, Score: Math.Clamp(bestWeight / MinimumWeight / 2, 0, 0.5), evidence);
        }

        double score = 1 - Math.Exp(-bestWeight);
        return new ContextResult(best, score, [.. evidence.Where(e => e.Detail.StartsWith(best.ToWire(), StringComparison.Ordinal))]);
    }

    private static string Describe(ContentContext context) => context switch
    {
        ContentContext.News => "reporting, attribution or dateline",
        ContentContext.CounterSpeech => "condemnation or rebuttal",
        ContentContext.Research => "research framing",
        ContentContext.Discussion => "question or opinion",
        _ => "",
    };

    private sealed record Cue(string Phrase, ContentContext Context, double Weight);

    private static Cue N(string phrase, double weight = 0.5) => new(phrase, ContentContext.News, weight);

    private static Cue C(string phrase, double weight = 0.5) => new(phrase, ContentContext.CounterSpeech, weight);

    private static Cue R(string phrase, double weight = 0.5) => new(phrase, ContentContext.Research, weight);

    private static Cue D(string phrase, double weight = 0.5) => new(phrase, ContentContext.Discussion, weight);

    private static readonly Cue[] Cues =
    [
        // News: agencies and datelines (strong), attribution and reporting verbs (moderate).
        N("(reuters)", 1.5), N("(ap)", 1.5), N("(afp)", 1.5), N("reuters", 0.8), N("associated press", 1), N("agence france presse", 1),
        N("afp", 0.6), N("bbc news", 1), N("breaking news", 0.6), N("news agency", 0.4),
        N("according to", 0.5), N("officials said", 1), N("police said", 1), N("a spokesman said", 1), N("a spokeswoman said", 1),
        N("said in a statement", 1), N("told reporters", 1), N("told the", 0.4), N("said on", 0.5), N("said", 0.3), N("says", 0.3),
        N("claimed responsibility", 0.6), N("were killed", 0.5), N("was killed", 0.4), N("killed at least", 0.8), N("was arrested", 0.6),
        N("were arrested", 0.6), N("authorities", 0.4), N("officials", 0.4), N("government", 0.2), N("ministry", 0.3), N("reported", 0.5),
        N("sources said", 0.8), N("the group said", 0.6), N("on monday", 0.4), N("on tuesday", 0.4), N("on wednesday", 0.4),
        N("on thursday", 0.4), N("on friday", 0.4), N("on saturday", 0.4), N("on sunday", 0.4), N("yesterday", 0.2), N("prosecutors", 0.5),
        N("court", 0.3), N("convicted", 0.5), N("sentenced", 0.5), N("charged with", 0.6), N("investigation", 0.3),
        N("selon", 0.5), N("a declare", 0.6), N("ont ete tues", 0.6), N("a ete arrete", 0.6), N("la police", 0.4), N("les autorites", 0.5),
        N("\u0648\u0643\u0627\u0644\u0629 \u0627\u0644\u0627\u0646\u0628\u0627\u0621", 0.8), // وكالة الانباء
        N("\u0645\u0631\u0627\u0633\u0644", 0.5), // مراسل
        N("\u0627\u0641\u0627\u062F", 0.5), // افاد
        N("\u0648\u0641\u0642\u0627 \u0644", 0.5), // وفقا ل

        // Counter-speech: condemnation, rebuttal, mourning, solidarity.
        C("condemn", 1), C("condemns", 1), C("condemned", 1), C("condemning", 1), C("denounce", 1), C("denounced", 1), C("denounces", 1),
        C("not islam", 1), C("nothing to do with islam", 1.5), C("not in my name", 1.5), C("notinmyname", 1.5), C("un islamic", 1),
        C("khawarij", 1), C("kharijites", 1), C("cowardly", 0.8), C("cowards", 0.6), C("barbaric", 0.6), C("murderers", 0.6),
        C("terrorists", 0.4), C("terror group", 0.4), C("evil", 0.3), C("shame on", 0.6), C("reject extremism", 1.2), C("stand against", 0.8),
        C("stand together", 0.8), C("solidarity", 0.6), C("victims", 0.5), C("rest in peace", 0.8), C("rip", 0.4), C("pray for", 0.5),
        C("thoughts and prayers", 0.8), C("hate will not win", 1.2), C("love wins", 0.6), C("we will not be divided", 1.2), C("deradicalisation", 1),
        C("deradicalization", 1), C("counter extremism", 1), C("counter terrorism", 0.6), C("do not fall for", 1), C("dont fall for", 1),
        C("propaganda", 0.4), C("brainwash", 0.8), C("brainwashed", 0.8), C("lies of", 0.5), C("they lie", 0.6), C("fake caliphate", 1.5),
        C("so called islamic state", 1.5), C("so called caliphate", 1.5), C("so called", 0.5), C("daesh terrorists", 1.2), C("isis terrorists", 1.2),
        C("je condamne", 1), C("condamne", 0.8), C("condamnons", 1), C("pas en mon nom", 1.5), C("lache", 0.5), C("laches", 0.5),
        C("\u0627\u0644\u062E\u0648\u0627\u0631\u062C", 1), // الخوارج
        C("\u0646\u062F\u064A\u0646", 1), // ندين
        C("\u0627\u0631\u0647\u0627\u0628\u064A\u064A\u0646", 0.5), // ارهابيين

        // Research and education.
        R("study", 0.6), R("studies", 0.6), R("researchers", 1), R("research", 0.6), R("analysis", 0.6), R("analysts", 0.6),
        R("paper", 0.4), R("report finds", 1), R("the report", 0.5), R("dataset", 1), R("survey", 0.6), R("scholars", 0.6), R("academic", 0.6),
        R("journal", 0.4), R("per cent of", 0.6), R("percent of", 0.6), R("data show", 1), R("data shows", 1), R("findings", 0.8),
        R("radicalisation", 0.6), R("radicalization", 0.6), R("think tank", 0.8), R("thesis", 0.8), R("lecture", 0.6), R("course on", 0.6),
        R("history of", 0.5), R("documentary", 0.8), R("etude", 0.6), R("chercheurs", 1), R("recherche", 0.6),
        R("\u062F\u0631\u0627\u0633\u0647", 0.6), // دراسه
        R("\u0628\u0627\u062D\u062B\u064A\u0646", 0.8), // باحثين

        // Discussion: questions and opinions about the topic.
        D("what do you think", 1), D("do you think", 0.8), D("in my opinion", 0.8), D("imo", 0.5), D("debate", 0.6), D("discuss", 0.6),
        D("discussion", 0.6), D("is it true", 0.8), D("why do", 0.4), D("why does", 0.4), D("how come", 0.4), D("any thoughts", 0.8),
        D("just asking", 0.8), D("question", 0.4), D("qu en pensez vous", 1), D("a votre avis", 0.8),
    ];
}

/// <summary>The context found, its confidence, and the cues that show it.</summary>
public sealed record ContextResult(ContentContext Context, double Score, IReadOnlyList<Evidence> Evidence);
