using Vigil.Core;
using Vigil.Text.Normalization;
using Vigil.Training.Data;

namespace Vigil.Training.Evaluation;

/// <summary>A labelled set to score: a split of a catalogue set, or another labelled file.</summary>
public sealed record EvaluationSet(string Name, IReadOnlyList<LabelledPost> Posts)
{
    /// <summary><paramref name="split"/> of every catalogue set under <paramref name="root"/>, then each of
    /// <paramref name="files"/> (any labelled JSON Lines file, named after the file).</summary>
    /// <exception cref="IOException">A file cannot be read.</exception>
    /// <exception cref="InvalidDataException">A row is not a labelled post.</exception>
    public static List<EvaluationSet> Load(string root, string split, IEnumerable<string> files)
    {
        var sets = new List<EvaluationSet>();
        foreach (var set in DatasetCatalogue.All)
        {
            sets.Add(new EvaluationSet(set.Name, set.Load(root, split)));
        }

        foreach (var path in files)
        {
            string name = Path.GetFileNameWithoutExtension(path);
            sets.Add(new EvaluationSet(name, LabelledData.ReadJsonl(path, name)));
        }

        return sets;
    }
}

/// <summary>
/// <c>vigil eval</c>'s measurements: scores every set, Vigil's audit sentences and the evasion variants of the positives
/// through an <see cref="IPostScorer"/> with <paramref name="policy"/>, and measures them (<see cref="QualityEvaluation"/>).
/// </summary>
public sealed class QualityEvaluator(IPostScorer scorer, Policy policy)
{
    /// <summary>F1 targets of the text-detection issue, with the baseline's figure (scikit-learn TF-IDF word 1-2 + char
    /// 2-5 grams + logistic regression).</summary>
    public static IReadOnlyList<(Dataset Set, double Goal, string Baseline)> F1Targets { get; } =
    [
        (DatasetCatalogue.IsisTweets, 0.85, "0.768"),
        (DatasetCatalogue.Stormfront, 0.62, "0.488"),
        (DatasetCatalogue.Davidson, 0.55, "0.430"),
    ];

    /// <summary>The highest share of news about terrorism decided violating.</summary>
    public const double NewsViolatingTarget = 0.01;

    /// <summary>The largest F1 drop any evasion may cause.</summary>
    public const double EvasionDropTarget = 0.02;

    /// <summary>The sets whose positives are obfuscated for the evasion report.</summary>
    public static IReadOnlyList<Dataset> EvasionSets { get; } = [DatasetCatalogue.IsisTweets, DatasetCatalogue.Stormfront];

    /// <summary>Scores and measures <paramref name="sets"/>; <paramref name="status"/> hears what is being scored.</summary>
    public QualityEvaluation Evaluate(
        IReadOnlyList<EvaluationSet> sets, EvaluationSetup setup, Action<string>? status = null, CancellationToken cancellationToken = default)
    {
        ScoredPost[] ScoreAll(IReadOnlyList<LabelledPost> posts, Func<LabelledPost, string>? transform = null)
        {
            var scores = scorer.Score([.. posts.Select(p => transform is null ? p.Text : transform(p))], policy, cancellationToken);
            return [.. posts.Select((p, i) => new ScoredPost(p, scores[i].Verdict, scores[i].Assessment))];
        }

        var results = new Dictionary<string, ScoredPost[]>(StringComparer.Ordinal);
        foreach (var (name, posts) in sets)
        {
            status?.Invoke($"scoring {name} ({posts.Count:N0} posts)");
            results[name] = ScoreAll(posts);
        }

        var identity = ScoreAll(IdentityAudit.Sentences);
        var expressions = ScoreAll(IdentityAudit.ExpressionSentences);

        // Evasion: the same positives, obfuscated; negatives unchanged.
        var evasion = new List<EvasionResult>();
        foreach (var set in EvasionSets)
        {
            if (!results.TryGetValue(set.Name, out var clean))
            {
                continue;
            }

            var posts = sets.First(s => s.Name == set.Name).Posts;
            bool terrorism = set.Task == DatasetTask.Terrorism;
            double cleanF1 = ScoredPost.F1(clean, set.PositiveLabel, terrorism);
            foreach (var kind in Enum.GetValues<EvasionKind>())
            {
                status?.Invoke($"evasion {kind} on {set.Name}");
                var evaded = ScoreAll(posts, p => set.IsPositive(p) ? Evasion.Apply(p.Text, kind, StableSeed(p.Id)) : p.Text);
                evasion.Add(new EvasionResult(set.Name, kind.ToString(), cleanF1, ScoredPost.F1(evaded, set.PositiveLabel, terrorism)));
            }
        }

        return new QualityEvaluation(
            setup,
            Targets(results, evasion),
            Ablation(results),
            CrossFitting.Evaluate(results, policy),
            PerSet(results),
            results.TryGetValue(DatasetCatalogue.AgNews.Name, out var news) ? News(DatasetCatalogue.AgNews.Name, news) : null,
            results.TryGetValue(DatasetCatalogue.IsisAccounts.Name, out var accounts)
                ? new AccountsResult(DatasetCatalogue.IsisAccounts.Name, Shares("all", accounts)) : null,
            Languages(results),
            BiasAudits.Audit(identity, "term", ("hate", r => r.HateScore), ("terrorism", r => r.TerrorismScore)),
            BiasAudits.GroupMentions(results),
            BiasAudits.Audit(expressions, "expression", ("terrorism", r => r.TerrorismScore), ("hate", r => r.HateScore)),
            Confusion(results),
            evasion,
            Curves(results));
    }

    /// <summary>A seed from a string that is the same on every run and platform (FNV-1a).</summary>
    public static int StableSeed(string id)
    {
        uint h = 2166136261;
        foreach (char c in id)
        {
            h = (h ^ c) * 16777619;
        }

        return (int)(h & 0x7FFFFFFF);
    }

    private static List<TargetResult> Targets(Dictionary<string, ScoredPost[]> results, List<EvasionResult> evasion)
    {
        var targets = new List<TargetResult>();
        foreach (var (set, goal, baseline) in F1Targets)
        {
            if (results.TryGetValue(set.Name, out var rows))
            {
                targets.Add(new TargetResult($"{set.Name}: {set.PositiveLabel} F1", ScoredPost.F1(rows, set.PositiveLabel, set.Task == DatasetTask.Terrorism), goal, true, baseline));
            }
        }

        if (results.TryGetValue(DatasetCatalogue.AgNews.Name, out var news))
        {
            var terror = news.Where(r => r.Post.MentionsTerrorism).ToList();
            targets.Add(new TargetResult(
                $"{DatasetCatalogue.AgNews.Name} about terrorism ({terror.Count} rows): violating rate",
                (double)terror.Count(r => r.Verdict.Kind == VerdictKind.Violating) / Math.Max(1, terror.Count),
                NewsViolatingTarget,
                false,
                "–"));
        }

        foreach (var group in evasion.GroupBy(e => e.Set))
        {
            targets.Add(new TargetResult($"{group.Key}: largest F1 drop under evasion", group.Max(e => e.Clean - e.Evaded), EvasionDropTarget, false, "–"));
        }

        return targets;
    }

    /// <summary>The terrorism set, then the hate sets.</summary>
    private static IEnumerable<Dataset> TargetSets => DatasetCatalogue.All.Where(d => d.Task == DatasetTask.Terrorism).Concat(DatasetCatalogue.HateSets);

    /// <summary>F1 of the target sets when the policy's own rules are switched off one at a time, on the same detector scores.</summary>
    private AblationResult Ablation(Dictionary<string, ScoredPost[]> results)
    {
        var variants = new (string Name, Policy Policy)[]
        {
            ("whole pipeline", policy),
            ("without strong-cue review", policy with { StrongCuesReview = false }),
            ("without context rules", policy with { Contexts = new Dictionary<ContentContext, ContextRule>() }),
            ("without language thresholds", policy with { Languages = new Dictionary<string, IReadOnlyDictionary<string, CategoryThresholds>>() }),
            ("classifier and thresholds only", policy with { StrongCuesReview = false, Contexts = new Dictionary<ContentContext, ContextRule>() }),
        };
        var rows = new List<AblationRow>();
        foreach (var set in TargetSets)
        {
            if (results.TryGetValue(set.Name, out var scored))
            {
                rows.Add(new AblationRow(set.Name, [.. variants.Select(v => ScoredPost.F1(
                    [.. scored.Select(r => r with { Verdict = v.Policy.Decide(r.Assessment) })], set.PositiveLabel, set.Task == DatasetTask.Terrorism))]));
            }
        }

        return new AblationResult([.. variants.Select(v => v.Name)], rows);
    }

    /// <summary>Every set labelled for terrorism or hate (those given as files too), by name.</summary>
    private static List<SetMetrics> PerSet(Dictionary<string, ScoredPost[]> results)
    {
        var metrics = new List<SetMetrics>();
        foreach (var (set, rows) in results.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var dataset = DatasetCatalogue.Find(set);
            if (dataset?.Task is DatasetTask.News or DatasetTask.Accounts)
            {
                continue;
            }

            bool terrorism = dataset?.Task == DatasetTask.Terrorism || rows.Any(r => r.Post.Label == DatasetLabels.Extremist);
            string positive = terrorism ? DatasetLabels.Extremist : DatasetLabels.Hate;
            var truth = rows.Select(r => r.Post.Label == positive).ToList();
            var predicted = rows.Select(r => r.Flagged(terrorism)).ToList();
            var confusion = Core.Confusion.Count(truth, predicted);
            double ap = BinaryMetrics.AveragePrecision(truth, rows.Select(r => terrorism ? r.TerrorismScore : r.HateScore).ToList());
            var violating = rows.Where(r => r.Verdict.Kind == VerdictKind.Violating).ToList();
            metrics.Add(new SetMetrics(
                set, rows.Length, positive, truth.Count(t => t), confusion.Precision, confusion.Recall, confusion.F1, ap, violating.Count, violating.Count(r => r.Post.Label == positive)));
        }

        return metrics;
    }

    private static NewsResult News(string set, ScoredPost[] news) =>
        new(set, [Shares("about terrorism", [.. news.Where(r => r.Post.MentionsTerrorism)]), Shares("all", news)]);

    private static VerdictShares Shares(string label, ScoredPost[] rows) => new(
        label,
        rows.Length,
        Rate(rows, VerdictKind.Violating),
        Rate(rows, VerdictKind.Review),
        Rate(rows, VerdictKind.Clear),
        (double)rows.Count(r => r.Verdict.Context == ContentContext.News) / Math.Max(1, rows.Length));

    private static double Rate(ScoredPost[] rows, VerdictKind kind) =>
        (double)rows.Count(r => r.Verdict.Kind == kind) / Math.Max(1, rows.Length);

    /// <summary>How often the language Vigil reports is each catalogue set's own (as the data's README gives it).</summary>
    private static List<LanguageResult> Languages(Dictionary<string, ScoredPost[]> results)
    {
        var languages = new List<LanguageResult>();
        foreach (var (set, rows) in results.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (DatasetCatalogue.Find(set) is not { Language: var language })
            {
                continue;
            }

            int same = rows.Count(r => r.Verdict.Language == language);
            int unknown = rows.Count(r => r.Verdict.Language is null);
            var others = rows.Where(r => r.Verdict.Language is { } l && l != language)
                .GroupBy(r => r.Verdict.Language!).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(3)
                .Select(g => (g.Key, g.Count()));
            languages.Add(new LanguageResult(set, language, rows.Length, same, unknown, [.. others]));
        }

        return languages;
    }

    private static List<ConfusionTable> Confusion(Dictionary<string, ScoredPost[]> results) =>
    [
        .. results.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new ConfusionTable(
            kv.Key,
            [
                .. kv.Value.GroupBy(r => r.Post.Label).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new ConfusionRow(
                    g.Key, g.Count(r => r.Verdict.Kind == VerdictKind.Violating), g.Count(r => r.Verdict.Kind == VerdictKind.Review), g.Count(r => r.Verdict.Kind == VerdictKind.Clear))),
            ])),
    ];

    /// <summary>Precision-recall curves: terrorism on the terrorism set, hate on each hate set.</summary>
    private static List<PrCurvePlot> Curves(Dictionary<string, ScoredPost[]> results)
    {
        static PrCurve Curve(string name, List<bool> truth, List<double> scores) =>
            new(name, BinaryMetrics.PrecisionRecallCurve(truth, scores), BinaryMetrics.AveragePrecision(truth, scores));
        var plots = new List<PrCurvePlot>();
        var isis = DatasetCatalogue.IsisTweets;
        if (results.TryGetValue(isis.Name, out var terrorism))
        {
            plots.Add(new PrCurvePlot("pr-terrorism.png", $"Terrorism (any terrorism.* score), {isis.Name} dev",
                [Curve(isis.Name, [.. terrorism.Select(r => isis.IsPositive(r.Post))], [.. terrorism.Select(r => r.TerrorismScore)])]));
        }

        var hate = DatasetCatalogue.HateSets.Where(s => results.ContainsKey(s.Name))
            .Select(s => Curve(s.Name, [.. results[s.Name].Select(r => s.IsPositive(r.Post))], [.. results[s.Name].Select(r => r.HateScore)]))
            .ToList();
        if (hate.Count > 0)
        {
            plots.Add(new PrCurvePlot("pr-hate.png", "Hate score, dev splits", hate));
        }

        return plots;
    }
}
