using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Spectre.Console;
using Vigil.Core;
using Vigil.Text.Normalization;
using Vigil.Training;
using Vigil.Training.Data;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil eval</c>: runs the whole pipeline (detectors and policy) over the dev splits and writes
/// <c>docs/quality.md</c> with precision, recall, F1, average precision, the false-positive rate on news about
/// terrorism, confusion tables, precision-recall curves (PNG) and the evasion report.
/// </summary>
internal static class EvalCommand
{
    /// <summary>The sets that train and tune the hate head.</summary>
    internal static readonly string[] HateSets = [.. DatasetCatalogue.HateSets.Select(d => d.Name)];

    public static Command Create()
    {
        var datasets = CommonOptions.SharedData();
        var output = new Option<string>("--output", "-o") { Description = "The report to write.", DefaultValueFactory = _ => Path.Combine("docs", "quality.md") };
        var split = new Option<string>("--split") { Description = "Which split to score.", DefaultValueFactory = _ => "dev" };
        var file = new Option<string[]>("--file") { Description = "Also score any labelled JSON Lines file (fields text and label; label extremist, hate or other).", AllowMultipleArgumentsPerToken = true };
        var check = new Option<bool>("--check") { Description = $"Exit with code {ExitCodes.CheckFailed} when a quality target of the text-detection issue is missed." };
        var threads = CommonOptions.Threads();
        var embeddings = CommonOptions.Embeddings();
        var data = CommonOptions.Data();
        var policy = CommonOptions.PolicyFile();
        var command = new Command("eval", "Score the labelled dev splits and write docs/quality.md with PR curves and the evasion report.")
        {
            datasets, output, split, file, check, threads, embeddings, data, policy,
        };
        command.SetAction((result, cancellationToken) => Task.FromResult(Run(
            result.GetValue(datasets)!, result.GetValue(output)!, result.GetValue(split)!, result.GetValue(file) ?? [], result.GetValue(check),
            Math.Max(1, result.GetValue(threads)), CommonOptions.ParseEmbeddings(result.GetValue(embeddings)!), result.GetValue(data), result.GetValue(policy), cancellationToken)));
        return command;
    }

    /// <summary>One scored row.</summary>
    internal sealed record Scored(LabelledPost Post, Verdict Verdict, Assessment Assessment)
    {
        public bool AnyTerrorism => Verdict.Labels.Any(l => l.StartsWith("terrorism.", StringComparison.Ordinal));

        public double TerrorismScore => Taxonomy.Terrorism.Max(c => Verdict.Scores.GetValueOrDefault(c.Id));

        public bool Hate => Verdict.Labels.Contains(Taxonomy.Hate.Id);

        public double HateScore => Verdict.Scores.GetValueOrDefault(Taxonomy.Hate.Id);
    }

    private static int Run(string datasets, string output, string split, string[] files, bool check, int threads, Vigil.Text.EmbeddingMode embeddings, string? dataDirectory, string? policyPath, CancellationToken cancellationToken)
    {
        var console = CommonOptions.ErrorConsole();
        if (!Engine.TryLoad(dataDirectory, policyPath, new Vigil.Text.TextAnalyzerOptions(IdentifyLanguage: true, Embeddings: embeddings), console, out var engine))
        {
            return ExitCodes.Fatal;
        }

        var stopwatch = Stopwatch.StartNew();
        var sets = new List<(string Name, IReadOnlyList<LabelledPost> Posts)>();
        try
        {
            foreach (var set in DatasetCatalogue.All)
            {
                sets.Add((set.Name, set.Load(datasets, split)));
            }

            foreach (var path in files)
            {
                sets.Add((Path.GetFileNameWithoutExtension(path), LabelledData.ReadJsonl(path, Path.GetFileNameWithoutExtension(path))));
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            console.MarkupLineInterpolated($"[red]vigil eval:[/] {e.Message}");
            return ExitCodes.Fatal;
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken };
        Scored[] ScoreAll(IReadOnlyList<LabelledPost> posts, Func<LabelledPost, string>? transform = null)
        {
            var scored = new Scored[posts.Count];
            Parallel.For(0, posts.Count, parallel, i =>
            {
                string text = transform is null ? posts[i].Text : transform(posts[i]);
                var assessment = engine.Analyzer.Assess(text);
                scored[i] = new Scored(posts[i], engine.Policy.Decide(assessment), assessment);
            });
            return scored;
        }

        var results = new Dictionary<string, Scored[]>(StringComparer.Ordinal);
        console.Status().Start("scoring", ctx =>
        {
            foreach (var (name, posts) in sets)
            {
                ctx.Status($"scoring {name} ({posts.Count:N0} posts)");
                results[name] = ScoreAll(posts);
            }
        });

        var identity = ScoreAll(IdentityAudit.Sentences);
        var expressions = ScoreAll(IdentityAudit.ExpressionSentences);

        // Evasion: the same positives, obfuscated; negatives unchanged.
        var evasion = new List<(string Set, string Kind, double Clean, double Evaded)>();
        console.Status().Start("evasion", ctx =>
        {
            foreach (var (set, positive, isTerror) in new[] { ("isis-tweets-labelled", "extremist", true), ("stormfront", "hate", false) })
            {
                if (!results.TryGetValue(set, out var clean))
                {
                    continue;
                }

                var posts = sets.First(s => s.Name == set).Posts;
                double cleanF1 = F1(clean, positive, isTerror);
                foreach (var kind in Enum.GetValues<EvasionKind>())
                {
                    ctx.Status($"evasion {kind} on {set}");
                    var evaded = ScoreAll(posts, p => p.Label == positive ? Evasion.Apply(p.Text, kind, StableSeed(p.Id)) : p.Text);
                    evasion.Add((set, kind.ToString(), cleanF1, F1(evaded, positive, isTerror)));
                }
            }
        });

        string outputDirectory = Path.GetDirectoryName(Path.GetFullPath(output))!;
        string plotDirectory = Path.Combine(outputDirectory, "quality");
        Directory.CreateDirectory(plotDirectory);
        var plots = QualityPlots.Write(plotDirectory, results, HateSets);
        var report = QualityReport.Build(results, evasion, identity, expressions, engine, split, plots.Select(p => Path.GetRelativePath(outputDirectory, p)).ToList(), stopwatch.Elapsed, embeddings);
        File.WriteAllText(output, report.Markdown);
        console.MarkupLineInterpolated($"[green]wrote[/] {output} and {plots.Count} plots in {stopwatch.Elapsed.TotalSeconds:F1}s");
        foreach (var line in report.Targets)
        {
            console.MarkupLine(line.Met ? $"[green]met[/]    {Markup.Escape(line.Text)}" : $"[red]missed[/] {Markup.Escape(line.Text)}");
        }

        return check && report.Targets.Any(t => !t.Met) ? ExitCodes.CheckFailed : ExitCodes.Ok;
    }

    internal static double F1(IReadOnlyList<Scored> rows, string positive, bool terrorism) =>
        Confusion.Count(rows.Select(r => r.Post.Label == positive).ToList(), rows.Select(r => terrorism ? r.AnyTerrorism : r.Hate).ToList()).F1;

    internal static int StableSeed(string id)
    {
        uint h = 2166136261;
        foreach (char c in id)
        {
            h = (h ^ c) * 16777619;
        }

        return (int)(h & 0x7FFFFFFF);
    }
}

/// <summary>Builds the markdown of docs/quality.md.</summary>
internal static class QualityReport
{
    internal sealed record Target(string Text, bool Met);

    internal sealed record Result(string Markdown, IReadOnlyList<Target> Targets);

    private static string F(double x) => x.ToString("0.000", CultureInfo.InvariantCulture);

    private static string P(double x) => (100 * x).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    public static Result Build(
        Dictionary<string, EvalCommand.Scored[]> results,
        List<(string Set, string Kind, double Clean, double Evaded)> evasion,
        EvalCommand.Scored[] identity,
        EvalCommand.Scored[] expressions,
        Engine engine,
        string split,
        List<string> plots,
        TimeSpan elapsed,
        Vigil.Text.EmbeddingMode embeddings)
    {
        var md = new StringBuilder();
        var targets = new List<Target>();
        md.AppendLine("# Vigil text detection: quality");
        md.AppendLine();
        md.AppendLine($"Generated by `vigil eval` on {DateTime.UtcNow:yyyy-MM-dd} ({elapsed.TotalSeconds:F0} s) over the **{split}** splits of `../shared/data`,");
        md.AppendLine($"with the whole pipeline (normalisation, lists, classifier with its embedding stage `{engine.Analyzer.EmbeddingMode.ToString().ToLowerInvariant()}`, context, policy `{engine.Policy.Version}`)");
        md.AppendLine($"exactly as `vigil scan --embeddings {embeddings.ToString().ToLowerInvariant()}` runs it.");
        md.AppendLine("Regenerate with `dotnet run --project src/Vigil.Cli -c Release -- eval`.");
        md.AppendLine();
        md.AppendLine("A post counts as flagged for terrorism when any `terrorism.*` label passes its review threshold, and for hate when `hate` does.");
        md.AppendLine("The policy's thresholds were tuned on these same dev splits by `vigil train` (review: best F1; violating: 90% precision with 95% confidence, or 1 where none reaches it),");
        md.AppendLine("so the figures below are optimistic for unseen data (\"Thresholds tuned on other posts\" estimates by how much); the kept-back fifth of every set measures Vigil independently.");
        md.AppendLine();

        md.AppendLine("## Summary against the targets");
        md.AppendLine();
        md.AppendLine("| target | measured | baseline | met |");
        md.AppendLine("|---|---|---|---|");
        void AddTarget(string text, double measured, double goal, bool higherIsBetter, string baseline)
        {
            bool met = higherIsBetter ? measured >= goal : measured <= goal;
            targets.Add(new Target($"{text}: {F(measured)} (target {(higherIsBetter ? ">=" : "<=")} {F(goal)})", met));
            md.AppendLine($"| {text} {(higherIsBetter ? "≥" : "≤")} {(goal < 0.2 && !higherIsBetter ? P(goal) : F(goal))} | {(goal < 0.2 && !higherIsBetter ? P(measured) : F(measured))} | {baseline} | {(met ? "yes" : "**no**")} |");
        }

        if (results.TryGetValue("isis-tweets-labelled", out var isis))
        {
            AddTarget("isis-tweets-labelled: extremist F1", EvalCommand.F1(isis, "extremist", terrorism: true), 0.85, true, "0.768");
        }

        if (results.TryGetValue("stormfront", out var storm))
        {
            AddTarget("stormfront: hate F1", EvalCommand.F1(storm, "hate", terrorism: false), 0.62, true, "0.488");
        }

        if (results.TryGetValue("davidson", out var davidson))
        {
            AddTarget("davidson: hate F1", EvalCommand.F1(davidson, "hate", terrorism: false), 0.55, true, "0.430");
        }

        if (results.TryGetValue("ag-news", out var news))
        {
            var terror = news.Where(r => r.Post.MentionsTerrorism).ToList();
            AddTarget($"ag-news about terrorism ({terror.Count} rows): violating rate", (double)terror.Count(r => r.Verdict.Kind == VerdictKind.Violating) / Math.Max(1, terror.Count), 0.01, false, "–");
        }

        foreach (var group in evasion.GroupBy(e => e.Set))
        {
            double worst = group.Max(e => e.Clean - e.Evaded);
            AddTarget($"{group.Key}: largest F1 drop under evasion", worst, 0.02, false, "–");
        }

        md.AppendLine();
        md.AppendLine("Baselines: scikit-learn TF-IDF word 1-2 + char 2-5 grams + logistic regression, as stated in the issue.");
        md.AppendLine();

        AppendAblation(md, results, engine.Policy);
        AppendCrossFitted(md, results, engine.Policy);

        md.AppendLine("## Per set");
        md.AppendLine();
        md.AppendLine("| set | rows | positive label | positives | precision | recall | F1 | average precision | violating precision |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var (set, rows) in results.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (set is "ag-news" or "isis-accounts")
            {
                continue;
            }

            bool terrorism = set == "isis-tweets-labelled" || rows.Any(r => r.Post.Label == "extremist");
            string positive = terrorism ? "extremist" : "hate";
            var truth = rows.Select(r => r.Post.Label == positive).ToList();
            var predicted = rows.Select(r => terrorism ? r.AnyTerrorism : r.Hate).ToList();
            var confusion = Confusion.Count(truth, predicted);
            double ap = BinaryMetrics.AveragePrecision(truth, rows.Select(r => terrorism ? r.TerrorismScore : r.HateScore).ToList());
            var violating = rows.Where(r => r.Verdict.Kind == VerdictKind.Violating).ToList();
            string violatingPrecision = violating.Count == 0 ? "–" : $"{F((double)violating.Count(r => r.Post.Label == positive) / violating.Count)} ({violating.Count})";
            md.AppendLine($"| {set} | {rows.Length:N0} | {positive} | {truth.Count(t => t):N0} | {F(confusion.Precision)} | {F(confusion.Recall)} | {F(confusion.F1)} | {F(ap)} | {violatingPrecision} |");
        }

        md.AppendLine();
        if (results.TryGetValue("ag-news", out var agNews))
        {
            md.AppendLine("## News reporting (ag-news)");
            md.AppendLine();
            md.AppendLine("| rows | violating | review | clear | context news |");
            md.AppendLine("|---|---|---|---|---|");
            foreach (var (label, rows) in new[] { ("about terrorism", agNews.Where(r => r.Post.MentionsTerrorism).ToList()), ("all", agNews.ToList()) })
            {
                md.AppendLine($"| {label} ({rows.Count:N0}) | {P(Rate(rows, VerdictKind.Violating))} | {P(Rate(rows, VerdictKind.Review))} | {P(Rate(rows, VerdictKind.Clear))} | {P((double)rows.Count(r => r.Verdict.Context == ContentContext.News) / Math.Max(1, rows.Count))} |");
            }

            md.AppendLine();
        }

        if (results.TryGetValue("isis-accounts", out var accounts))
        {
            md.AppendLine("## Tweets of pro-ISIS accounts (isis-accounts; a source-level label, many tweets are news-like or mundane)");
            md.AppendLine();
            md.AppendLine($"{accounts.Length:N0} rows: {P(Rate(accounts, VerdictKind.Violating))} violating, {P(Rate(accounts, VerdictKind.Review))} review, {P(Rate(accounts, VerdictKind.Clear))} clear.");
            md.AppendLine();
        }

        AppendLanguages(md, results);
        AppendIdentity(md, identity, results);
        AppendExpressions(md, expressions);

        md.AppendLine("## Confusion tables");
        md.AppendLine();
        md.AppendLine("Rows: the dataset's label. Columns: Vigil's verdict.");
        md.AppendLine();
        foreach (var (set, rows) in results.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            md.AppendLine($"**{set}**");
            md.AppendLine();
            md.AppendLine("| label | violating | review | clear |");
            md.AppendLine("|---|---|---|---|");
            foreach (var group in rows.GroupBy(r => r.Post.Label).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                md.AppendLine($"| {group.Key} | {group.Count(r => r.Verdict.Kind == VerdictKind.Violating):N0} | {group.Count(r => r.Verdict.Kind == VerdictKind.Review):N0} | {group.Count(r => r.Verdict.Kind == VerdictKind.Clear):N0} |");
            }

            md.AppendLine();
        }

        md.AppendLine("## Evasion");
        md.AppendLine();
        md.AppendLine("F1 on the same positives after obfuscating them (negatives unchanged), as `Evasion.Apply` does it: leetspeak and");
        md.AppendLine("homoglyphs replace about 60% of substitutable letters in every word of four letters or more; zero-width characters");
        md.AppendLine("go between about half of the letters of such words; letter spacing spaces or dots apart one word in three of five letters or more;");
        md.AppendLine("fancy text rewrites every word of four letters or more in one of the alphabets \"fancy text\" generators offer (mathematical bold");
        md.AppendLine("sans-serif, fullwidth, circled, Canadian syllabics look-alikes).");
        md.AppendLine();
        md.AppendLine("| set | evasion | F1 clean | F1 evaded | drop (points) |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var e in evasion)
        {
            md.AppendLine($"| {e.Set} | {e.Kind} | {F(e.Clean)} | {F(e.Evaded)} | {(100 * (e.Clean - e.Evaded)).ToString("0.0", CultureInfo.InvariantCulture)} |");
        }

        md.AppendLine();
        md.AppendLine("## Precision-recall curves");
        md.AppendLine();
        foreach (var plot in plots)
        {
            md.AppendLine($"![{Path.GetFileNameWithoutExtension(plot)}]({plot.Replace('\\', '/')})");
            md.AppendLine();
        }

        md.AppendLine("## Policy thresholds in use");
        md.AppendLine();
        md.AppendLine("| category | review | violating |");
        md.AppendLine("|---|---|---|");
        foreach (var (id, t) in engine.Policy.Categories)
        {
            md.AppendLine($"| {id} | {F(t.Review)} | {F(t.Violating)} |");
        }

        foreach (var (language, overrides) in engine.Policy.Languages.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            foreach (var (id, t) in overrides)
            {
                md.AppendLine($"| {id}, posts in `{language}` | {F(t.Review)} | {F(t.Violating)} |");
            }
        }

        md.AppendLine();
        md.AppendLine("In a protected context (news, research, counter-speech) a label needs the context's higher review threshold and content is never `violating`.");
        return new Result(md.ToString(), targets);
    }

    /// <summary>The language each set is written in, as ../shared/data/README.md states it.</summary>
    private static readonly Dictionary<string, string> SetLanguages = new(StringComparer.Ordinal)
    {
        ["isis-tweets-labelled"] = "en",
        ["isis-accounts"] = "en",
        ["stormfront"] = "en",
        ["davidson"] = "en",
        ["mlma-en"] = "en",
        ["mlma-fr"] = "fr",
        ["mlma-ar"] = "ar",
        ["l-hsab"] = "ar",
        ["ag-news"] = "en",
    };

    /// <summary>How often the language Vigil reports is the set's own; sets hold some posts in other languages, so
    /// 100% is not expected everywhere (isis-accounts is "mostly en").</summary>
    private static void AppendLanguages(StringBuilder md, Dictionary<string, EvalCommand.Scored[]> results)
    {
        md.AppendLine("## Language identification");
        md.AppendLine();
        md.AppendLine("Share of each set's posts reported in the set's language (as the data's README gives it), unknown, or another language.");
        md.AppendLine("A set holds some posts in other languages and some too short to tell, so the first column is a lower bound of accuracy.");
        md.AppendLine();
        md.AppendLine("| set | language | reported as it | unknown | other (most frequent) |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var (set, rows) in results.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!SetLanguages.TryGetValue(set, out string? language))
            {
                continue;
            }

            int same = rows.Count(r => r.Verdict.Language == language);
            int unknown = rows.Count(r => r.Verdict.Language is null);
            string others = string.Join(", ", rows.Where(r => r.Verdict.Language is { } l && l != language)
                .GroupBy(r => r.Verdict.Language!).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(3)
                .Select(g => $"{g.Key} {g.Count()}"));
            double n = Math.Max(1, rows.Length);
            md.AppendLine($"| {set} | {language} | {P(same / n)} | {P(unknown / n)} | {P((rows.Length - same - unknown) / n)}{(others.Length > 0 ? $" ({others})" : "")} |");
        }

        md.AppendLine();
    }

    private static readonly string[] EnglishHateSets = ["stormfront", "davidson", "mlma-en"];

    /// <summary>Word forms that mention each of <see cref="IdentityAudit.Terms"/> in a post (lower case).</summary>
    private static readonly Dictionary<string, string> IdentityWords = BuildIdentityWords();

    private static Dictionary<string, string> BuildIdentityWords()
    {
        var words = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string term in IdentityAudit.Terms)
        {
            string lower = term.ToLowerInvariant();
            words[lower] = term;
            words[lower + "s"] = term;
        }

        foreach (var (word, term) in new[]
        {
            ("islam", "Muslim"), ("islamic", "Muslim"), ("jew", "Jewish"), ("jews", "Jewish"), ("latina", "Latino"), ("latinas", "Latino"),
            ("hispanic", "Latino"), ("hispanics", "Latino"), ("trans", "transgender"), ("blacks", "Black"), ("whites", "white"),
        })
        {
            words[word] = term;
        }

        return words;
    }

    /// <summary>The terms of <see cref="IdentityAudit.Terms"/> a text mentions.</summary>
    private static HashSet<string> MentionedGroups(string text)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        string lower = text.ToLowerInvariant();
        int i = 0;
        while (i < lower.Length)
        {
            if (!char.IsLetter(lower[i]))
            {
                i++;
                continue;
            }

            int start = i;
            while (i < lower.Length && char.IsLetter(lower[i]))
            {
                i++;
            }

            if (IdentityWords.TryGetValue(lower[start..i], out string? term))
            {
                found.Add(term);
            }
        }

        return found;
    }

    /// <summary>How often neutral mentions of a protected group are flagged: Vigil's audit sentences, and the posts of
    /// the English hate sets that are not hate, by the group they mention.</summary>
    private static void AppendIdentity(StringBuilder md, EvalCommand.Scored[] identity, Dictionary<string, EvalCommand.Scored[]> results)
    {
        md.AppendLine("## Neutral mentions of protected groups");
        md.AppendLine();
        md.AppendLine($"A classifier that learned hate from posts attacking a group tends to flag any mention of it. Vigil's {identity.Length} audit sentences");
        md.AppendLine($"(`IdentityAudit.Sentences`: {IdentityAudit.FramesPerTerm} everyday sentence frames, such as \"We had dinner with a Sikh family last night.\", for each of {IdentityAudit.Terms.Count} terms)");
        md.AppendLine("are all neutral, so every flag is a false positive; no classifier is trained on them. The mean scores show the bias below the");
        md.AppendLine("thresholds too: a term whose sentences score far above another's is one the classifier has learned to suspect.");
        AppendAuditTable(md, identity, "term", ("hate", r => r.HateScore), ("terrorism", r => r.TerrorismScore));
        var english = EnglishHateSets.Where(results.ContainsKey).SelectMany(s => results[s]).Where(r => r.Post.Label != "hate").ToList();
        if (english.Count == 0)
        {
            return;
        }

        var mentions = english.Select(r => MentionedGroups(r.Post.Text)).ToList();
        md.AppendLine($"Real posts: the {english.Count:N0} dev posts of stormfront, davidson and mlma-en not labelled hate, by the group they name (a word");
        md.AppendLine("match, so \"white\", \"black\" and \"straight\" also count other senses), and the share Vigil flags for hate. Posts labelled");
        md.AppendLine("offensive (davidson, mlma-en) are kept apart from those labelled neither. Groups named in at least 30 posts:");
        md.AppendLine();
        md.AppendLine("| posts | labelled none | flagged for hate | labelled offensive | flagged for hate |");
        md.AppendLine("|---|---|---|---|---|");
        void Row(string name, Func<int, bool> naming)
        {
            var none = Enumerable.Range(0, english.Count).Where(i => naming(i) && english[i].Post.Label != "offensive").ToList();
            var offensive = Enumerable.Range(0, english.Count).Where(i => naming(i) && english[i].Post.Label == "offensive").ToList();
            string Share(List<int> rows) => P((double)rows.Count(i => english[i].Hate) / Math.Max(1, rows.Count));
            md.AppendLine($"| {name} | {none.Count:N0} | {Share(none)} | {offensive.Count:N0} | {Share(offensive)} |");
        }

        Row("naming no group", i => mentions[i].Count == 0);
        Row("naming a group", i => mentions[i].Count > 0);
        foreach (string term in IdentityAudit.Terms)
        {
            if (mentions.Count(m => m.Contains(term)) >= 30)
            {
                Row($"naming {term}", i => mentions[i].Contains(term));
            }
        }

        md.AppendLine();
    }

    /// <summary>How the terrorism classifier scores everyday religious expressions of several faiths in neutral sentences.</summary>
    private static void AppendExpressions(StringBuilder md, EvalCommand.Scored[] expressions)
    {
        md.AppendLine("## Everyday religious expressions");
        md.AppendLine();
        md.AppendLine($"A terrorism classifier that learned from jihadist posts tends to suspect the religious vocabulary they use. Vigil's {expressions.Length} audit sentences");
        md.AppendLine($"(`IdentityAudit.ExpressionSentences`: {IdentityAudit.FramesPerExpression} everyday sentences, such as \"The rain finally stopped and the garden is green, God willing.\", for each of");
        md.AppendLine($"{IdentityAudit.Expressions.Count} expressions of several faiths) are all neutral; no classifier is trained on them.");
        AppendAuditTable(md, expressions, "expression", ("terrorism", r => r.TerrorismScore), ("hate", r => r.HateScore));
    }

    /// <summary>How many of an audit's neutral sentences are flagged, then by term: flagged, the mean and highest of the
    /// score the audit is about, and the mean of the other.</summary>
    private static void AppendAuditTable(
        StringBuilder md,
        EvalCommand.Scored[] sentences,
        string termColumn,
        (string Name, Func<EvalCommand.Scored, double> Score) main,
        (string Name, Func<EvalCommand.Scored, double> Score) other)
    {
        static bool Flagged(EvalCommand.Scored r) => r.Verdict.Kind != VerdictKind.Clear;
        int flagged = sentences.Count(Flagged);
        md.AppendLine();
        md.AppendLine($"Flagged (review or violating): **{flagged} of {sentences.Length}** ({P((double)flagged / Math.Max(1, sentences.Length))}).");
        md.AppendLine();
        md.AppendLine($"| {termColumn} | flagged | mean {main.Name} score | highest {main.Name} score | mean {other.Name} score |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var group in sentences.GroupBy(r => IdentityAudit.TermOf(r.Post)))
        {
            md.AppendLine($"| {group.Key} | {group.Count(Flagged)} of {group.Count()} | {F(group.Average(main.Score))} | {F(group.Max(main.Score))} | {F(group.Average(other.Score))} |");
        }

        md.AppendLine();
    }

    private static double Rate(IReadOnlyCollection<EvalCommand.Scored> rows, VerdictKind kind) =>
        (double)rows.Count(r => r.Verdict.Kind == kind) / Math.Max(1, rows.Count);

    /// <summary>
    /// F1 of the target sets with thresholds that did not see the posts they decide: the dev posts of the sets
    /// <c>vigil train</c> tunes on are cut into <see cref="Folds"/> parts by a hash of their set and id; each part is
    /// decided by the policy with its review and violating thresholds tuned as <c>vigil train</c> tunes them
    /// (<see cref="ThresholdTuner.Tune"/>) on the other parts' classifier scores. Everything else (weights, rules) stays.
    /// One cut is noisy, so the report gives the mean and range over <see cref="Cuts"/> different cuts.
    /// </summary>
    private static void AppendCrossFitted(StringBuilder md, Dictionary<string, EvalCommand.Scored[]> results, Policy policy)
    {
        var rows = EvalCommand.HateSets.Prepend("isis-tweets-labelled")
            .Where(results.ContainsKey)
            .SelectMany(set => results[set])
            .ToList();
        if (!rows.Any(r => r.Post.Set == "isis-tweets-labelled") || !rows.Any(r => r.Post.Set != "isis-tweets-labelled"))
        {
            return;
        }

        static float Classifier(EvalCommand.Scored row, string head) =>
            (float)(row.Assessment.Signals.FirstOrDefault(s => s.Type == SignalTypes.Classifier && s.Label == head)?.Score ?? 0);
        var scores = rows.Select(r => new[] { Classifier(r, "terrorism"), Classifier(r, Taxonomy.Hate.Id) }).ToArray();
        var sets = Enumerable.Range(0, rows.Count).GroupBy(i => rows[i].Post.Set).ToList();
        var f1 = sets.ToDictionary(g => g.Key, _ => new List<double>(), StringComparer.Ordinal);
        var terrorismReview = new List<double>();
        var decided = new Verdict[rows.Count];
        for (int cut = 0; cut < Cuts; cut++)
        {
            int[] fold = [.. rows.Select(r => EvalCommand.StableSeed($"{cut}|{r.Post.Set}\n{r.Post.Id}") % Folds)];
            for (int f = 0; f < Folds; f++)
            {
                var tuneOn = Enumerable.Range(0, rows.Count).Where(i => fold[i] != f).ToList();
                var tuning = ThresholdTuner.Tune(
                    [.. tuneOn.Select(i => rows[i].Post)],
                    [.. tuneOn.Select(i => scores[i])],
                    terrorismHead: 0,
                    hateHead: 1,
                    [.. tuneOn.Select(i => rows[i].Assessment.Language)]);
                terrorismReview.Add(tuning.TerrorismReview);
                var tuned = policy with { Categories = tuning.Categories(), Languages = tuning.Languages() };
                for (int i = 0; i < rows.Count; i++)
                {
                    if (fold[i] == f)
                    {
                        decided[i] = tuned.Decide(rows[i].Assessment);
                    }
                }
            }

            foreach (var group in sets)
            {
                bool terrorism = group.Key == "isis-tweets-labelled";
                f1[group.Key].Add(EvalCommand.F1([.. group.Select(i => rows[i] with { Verdict = decided[i] })], terrorism ? "extremist" : "hate", terrorism));
            }
        }

        md.AppendLine("## Thresholds tuned on other posts");
        md.AppendLine();
        md.AppendLine($"The figures above decide each dev post with thresholds tuned on it. Here the dev posts of these sets are cut into {Folds} parts");
        md.AppendLine($"(by a hash of set and id), and each part is decided with review and violating thresholds tuned as `vigil train` tunes them,");
        md.AppendLine($"on the other {Folds - 1} parts; the weights (among them the fallback's calibration, also fitted on dev) and the policy's other rules are unchanged.");
        md.AppendLine($"This is closer to what unseen posts get. Mean and range over {Cuts} different cuts; the terrorism review threshold of the");
        md.AppendLine($"{terrorismReview.Count} tunings ranged from {F(terrorismReview.Min())} to {F(terrorismReview.Max())}.");
        md.AppendLine();
        md.AppendLine("| set | thresholds tuned on all dev (as shipped) | thresholds tuned on the other parts: mean | range |");
        md.AppendLine("|---|---|---|---|");
        foreach (var group in sets)
        {
            bool terrorism = group.Key == "isis-tweets-labelled";
            var own = group.Select(i => rows[i]).ToList();
            var values = f1[group.Key];
            md.AppendLine($"| {group.Key} | {F(EvalCommand.F1(own, terrorism ? "extremist" : "hate", terrorism))} | {F(values.Average())} | {F(values.Min())}–{F(values.Max())} |");
        }

        md.AppendLine();
    }

    private const int Cuts = 10;

    private const int Folds = 5;

    /// <summary>F1 of the target sets when the policy's own rules are switched off one at a time, on the same detector scores.</summary>
    private static void AppendAblation(StringBuilder md, Dictionary<string, EvalCommand.Scored[]> results, Policy policy)
    {
        var variants = new (string Name, Policy Policy)[]
        {
            ("whole pipeline", policy),
            ("without strong-cue review", policy with { StrongCuesReview = false }),
            ("without context rules", policy with { Contexts = new Dictionary<ContentContext, ContextRule>() }),
            ("without language thresholds", policy with { Languages = new Dictionary<string, IReadOnlyDictionary<string, CategoryThresholds>>() }),
            ("classifier and thresholds only", policy with { StrongCuesReview = false, Contexts = new Dictionary<ContentContext, ContextRule>() }),
        };
        md.AppendLine("## What the policy's rules add");
        md.AppendLine();
        md.AppendLine("F1 on the same detector output, decided again with one of the policy's rules switched off (`strong_cues_review`: a strong coded term");
        md.AppendLine("sends a post to review on its own; context rules: news, research and counter-speech raise the bar; language thresholds: posts");
        md.AppendLine("identified as French or Arabic have their own hate thresholds).");
        md.AppendLine();
        md.AppendLine("| set | " + string.Join(" | ", variants.Select(v => v.Name)) + " |");
        md.AppendLine("|---|" + string.Concat(variants.Select(_ => "---|")));
        var sets = new[] { ("isis-tweets-labelled", "extremist", true) }
            .Concat(EvalCommand.HateSets.Select(s => (s, "hate", false)));
        foreach (var (set, positive, terrorism) in sets)
        {
            if (!results.TryGetValue(set, out var rows))
            {
                continue;
            }

            var cells = variants.Select(v => F(EvalCommand.F1([.. rows.Select(r => r with { Verdict = v.Policy.Decide(r.Assessment) })], positive, terrorism)));
            md.AppendLine($"| {set} | {string.Join(" | ", cells)} |");
        }

        md.AppendLine();
    }
}

/// <summary>Precision-recall curves as PNG (ScottPlot).</summary>
internal static class QualityPlots
{
    public static List<string> Write(string directory, Dictionary<string, EvalCommand.Scored[]> results, string[] hateSets)
    {
        var written = new List<string>();
        if (results.TryGetValue("isis-tweets-labelled", out var isis))
        {
            written.Add(Plot(directory, "pr-terrorism.png", "Terrorism (any terrorism.* score), isis-tweets-labelled dev",
                [("isis-tweets-labelled", isis.Select(r => r.Post.Label == "extremist").ToList(), isis.Select(r => r.TerrorismScore).ToList())]));
        }

        var hateCurves = hateSets.Where(results.ContainsKey)
            .Select(s => (s, results[s].Select(r => r.Post.Label == "hate").ToList(), results[s].Select(r => r.HateScore).ToList()))
            .ToList();
        if (hateCurves.Count > 0)
        {
            written.Add(Plot(directory, "pr-hate.png", "Hate score, dev splits", hateCurves));
        }

        return written;
    }

    private static string Plot(string directory, string file, string title, List<(string Name, List<bool> Truth, List<double> Scores)> curves)
    {
        var plot = new ScottPlot.Plot();
        foreach (var (name, truth, scores) in curves)
        {
            var points = BinaryMetrics.PrecisionRecallCurve(truth, scores);
            double ap = BinaryMetrics.AveragePrecision(truth, scores);
            var line = plot.Add.Scatter(points.Select(p => p.Recall).ToArray(), points.Select(p => p.Precision).ToArray());
            line.MarkerSize = 0;
            line.LineWidth = 2;
            line.LegendText = $"{name} (AP {ap:F3})";
        }

        plot.Title(title);
        plot.XLabel("Recall");
        plot.YLabel("Precision");
        plot.Axes.SetLimits(0, 1, 0, 1.02);
        plot.ShowLegend(ScottPlot.Alignment.LowerLeft);
        string path = Path.Combine(directory, file);
        plot.SavePng(path, 800, 560);
        return path;
    }
}
