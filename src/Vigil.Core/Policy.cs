using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Core;

/// <summary>Score thresholds for one category: at or above <see cref="Review"/> the category is a label and the
/// content goes to review; at or above <see cref="Violating"/> it is violating.</summary>
public sealed record CategoryThresholds(double Review, double Violating);

/// <summary>
/// How a protected purpose (news, counter-speech, research: EU Reg. 2021/784 Art. 1(3)) changes the decision.
/// A category is labelled only at or above <see cref="Review"/>; content is violating only when
/// <see cref="AllowViolating"/> and a score reaches the category's violating threshold.
/// </summary>
public sealed record ContextRule(double Review, bool AllowViolating);

/// <summary>A set of thresholds that stands in for a policy's own in some condition (<see cref="Policy.WithoutEmbeddings"/>):
/// by category id, and by language (ISO 639-1 code) then category id.</summary>
public sealed record PolicyThresholds(
    IReadOnlyDictionary<string, CategoryThresholds> Categories,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, CategoryThresholds>> Languages);

/// <summary>
/// Turns an <see cref="Assessment"/> into a <see cref="Verdict"/> (<see cref="Decide"/>) and the verdict into an action for
/// the platform (<see cref="Apply"/>, through <see cref="Actions"/>). Operators change it by editing the policy file;
/// its <see cref="Version"/> is recorded on every verdict, case and decision.
/// </summary>
public sealed record Policy(
    string Version,
    IReadOnlyDictionary<string, CategoryThresholds> Categories,
    IReadOnlyDictionary<ContentContext, ContextRule> Contexts)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>How verdicts become actions; optional in the file (<see cref="ActionPolicy.Default"/> when absent).</summary>
    public ActionPolicy Actions { get; init; } = ActionPolicy.Default;

    /// <summary>
    /// Whether a strong coded term of a category (an official media outlet's name, a group's slogan: a lexicon signal
    /// scored at least <see cref="StrongCueScore"/>) brings that category to its review threshold on its own, so that
    /// a person looks at it whatever the classifier says. On by default (<c>strong_cues_review</c> in the file).
    /// </summary>
    public bool StrongCuesReview { get; init; } = true;

    /// <summary>
    /// Thresholds that replace <see cref="Categories"/>' for posts identified in a language (ISO 639-1 code, then
    /// category id). The classifier is calibrated differently in each language it was trained on, so one threshold
    /// does not suit all of them; a post of another or unknown language keeps the category's own thresholds.
    /// Optional in the file (<c>languages</c>).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, CategoryThresholds>> Languages { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, CategoryThresholds>>(StringComparer.Ordinal);

    /// <summary>
    /// Thresholds for when the text classifier scores posts without its sentence-embedding stage (<c>--embeddings off</c>:
    /// the n-gram model alone, far faster and less sure, so its scores need other thresholds). Their categories replace
    /// <see cref="Categories"/>' and their languages replace <see cref="Languages"/> in <see cref="WithoutEmbeddingStage"/>.
    /// Optional in the file (<c>without_embeddings</c>); <c>vigil train</c> tunes them with the others.
    /// </summary>
    public PolicyThresholds? WithoutEmbeddings { get; init; }

    /// <summary>The policy to decide with when the text classifier runs without its embedding stage: this one with
    /// <see cref="WithoutEmbeddings"/>' thresholds, if it has any, else this one as it is. Same version: same file.</summary>
    public Policy WithoutEmbeddingStage() => WithoutEmbeddings is not { } own ? this : this with
    {
        Categories = Categories.ToDictionary(kv => kv.Key, kv => own.Categories.GetValueOrDefault(kv.Key, kv.Value), StringComparer.Ordinal),
        Languages = own.Languages,
        WithoutEmbeddings = null,
    };

    /// <summary>The thresholds of <paramref name="category"/> for a post in <paramref name="language"/>, if the policy has any.</summary>
    public CategoryThresholds? ThresholdsFor(string category, string? language) =>
        language is not null && Languages.TryGetValue(language, out var overrides) && overrides.TryGetValue(category, out var own)
            ? own
            : Categories.GetValueOrDefault(category);

    /// <summary>
    /// The verdict, at least, of content with a part that could not be analysed (a <see cref="SignalKinds.Unreadable"/>
    /// signal: an image that does not decode, say): <see cref="VerdictKind.Review"/> (the default) or
    /// <see cref="VerdictKind.Violating"/>, never clear, since what was not looked at must not pass as harmless
    /// (<c>on_unreadable</c> in the file).
    /// </summary>
    public VerdictKind OnUnreadable { get; init; } = VerdictKind.Review;

    /// <summary>The score from which a lexicon signal counts as a strong cue.</summary>
    public const double StrongCueScore = 0.9;

    /// <summary>
    /// Decides the verdict and chooses the action, queue and rule. The action is the first matching rule's (or the
    /// verdict's default), raised to what a matching hash bank asks for (<see cref="Signal.RequestedAction"/>: a bank that
    /// says "remove" gets its matches removed); and an action other than allow never goes with a clear verdict (the
    /// verdict becomes review, so that a case records it).
    /// </summary>
    public PolicyOutcome Apply(Assessment assessment)
    {
        var verdict = Decide(assessment);
        var (action, queue, rule) = Actions.Choose(verdict, assessment);
        var signals = assessment.Signals;
        for (int i = 0; i < signals.Count; i++)
        {
            var signal = signals[i];
            if (signal.IsBankMatch && signal.RequestedAction is { } requested && ModerationActionNames.Strictness(requested) > ModerationActionNames.Strictness(action))
            {
                (action, queue, rule) = (requested, requested == ModerationAction.Escalate ? ActionPolicy.EscalationQueue : queue, $"bank {signal.Bank}");
            }
        }

        if (action != ModerationAction.Allow && verdict.Kind == VerdictKind.Clear)
        {
            verdict = verdict with { Kind = VerdictKind.Review };
        }

        return new PolicyOutcome(verdict, action, queue, rule);
    }

    public Verdict Decide(Assessment assessment)
    {
        var context = assessment.Context;
        Contexts.TryGetValue(context, out var contextRule);
        var labels = new List<Category>();
        bool violating = false;
        bool exemptionApplied = false;

        var scores = new Dictionary<string, double>(Taxonomy.All.Count, StringComparer.Ordinal);
        foreach (var category in Taxonomy.All)
        {
            double score = assessment.Scores.GetValueOrDefault(category.Id);
            if (ThresholdsFor(category.Id, assessment.Language) is not { } thresholds)
            {
                scores[category.Id] = score;
                continue;
            }

            if (StrongCuesReview && score < thresholds.Review && HasStrongCue(assessment, category.Id))
            {
                score = thresholds.Review;
            }

            scores[category.Id] = score;

            double review = thresholds.Review;
            bool mayViolate = true;
            if (contextRule is not null)
            {
                review = Math.Max(review, contextRule.Review);
                mayViolate = contextRule.AllowViolating;
                if (score >= thresholds.Review && (score < review || (!mayViolate && score >= thresholds.Violating)))
                {
                    exemptionApplied = true;
                }
            }

            if (score < review)
            {
                continue;
            }

            labels.Add(category);
            if (mayViolate && score >= thresholds.Violating)
            {
                violating = true;
            }
        }

        labels.Sort((a, b) => b.Severity != a.Severity
            ? b.Severity.CompareTo(a.Severity)
            : scores[b.Id].CompareTo(scores[a.Id]));

        var legalBasis = new List<string>();
        foreach (var category in labels)
        {
            foreach (string basis in category.LegalBasis)
            {
                if (!legalBasis.Contains(basis, StringComparer.Ordinal))
                {
                    legalBasis.Add(basis);
                }
            }
        }

        if (exemptionApplied)
        {
            legalBasis.Add(Taxonomy.EuTcoExemption);
        }

        foreach (var category in Taxonomy.All)
        {
            scores[category.Id] = Math.Round(scores[category.Id], 4);
        }

        var kind = violating ? VerdictKind.Violating : labels.Count > 0 ? VerdictKind.Review : VerdictKind.Clear;
        for (int i = 0; i < assessment.Signals.Count; i++)
        {
            var signal = assessment.Signals[i];
            if (kind < VerdictKind.Review && signal.IsBankMatch)
            {
                kind = VerdictKind.Review; // known content is never clear, whatever its bank's labels say
            }

            if (kind < OnUnreadable && signal.Type == SignalKinds.Unreadable)
            {
                kind = OnUnreadable;
            }
        }

        return new Verdict(kind, [.. labels.Select(c => c.Id)], scores, context, assessment.Language, EvidenceInOrder(assessment.Signals), legalBasis, Version);
    }

    /// <summary>Every signal's evidence by start, then end; evidence at the same span keeps the signals' order.</summary>
    private static List<Evidence> EvidenceInOrder(IReadOnlyList<Signal> signals)
    {
        var evidence = new List<Evidence>();
        foreach (var signal in signals)
        {
            foreach (var e in signal.Evidence)
            {
                // Insertion keeps it stable; a post has a handful of evidence spans.
                int at = evidence.Count;
                while (at > 0 && (evidence[at - 1].Start > e.Start || (evidence[at - 1].Start == e.Start && evidence[at - 1].End > e.End)))
                {
                    at--;
                }

                evidence.Insert(at, e);
            }
        }

        return evidence;
    }

    private static bool HasStrongCue(Assessment assessment, string category)
    {
        foreach (var signal in assessment.Signals)
        {
            if (signal.Type == SignalKinds.Lexicon && signal.Label == category && signal.Score >= StrongCueScore)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Parses a policy file (JSON, comments allowed). Unknown categories, contexts or fields are errors.</summary>
    public static Policy Parse(string json)
    {
        PolicyFile file;
        try
        {
            file = JsonSerializer.Deserialize<PolicyFile>(json, JsonOptions)
                ?? throw new FormatException("The policy file is empty.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"The policy file is not valid: {e.Message}", e);
        }

        if (string.IsNullOrWhiteSpace(file.Version))
        {
            throw new FormatException("The policy file needs a \"version\".");
        }

        var categories = ParseThresholds(file.Categories, language: null);
        var languages = ParseLanguages(file.Languages, categories);
        PolicyThresholds? withoutEmbeddings = null;
        if (file.WithoutEmbeddings is { } own)
        {
            var ownCategories = ParseThresholds(own.Categories, language: null, where: "without_embeddings: ");
            if (ownCategories.Keys.FirstOrDefault(id => !categories.ContainsKey(id)) is { } missing)
            {
                throw new FormatException($"without_embeddings sets thresholds for '{missing}', which the policy's categories do not have.");
            }

            withoutEmbeddings = new PolicyThresholds(ownCategories, ParseLanguages(own.Languages, categories, where: "without_embeddings: "));
        }

        var contexts = new Dictionary<ContentContext, ContextRule>();
        foreach (var (name, rule) in file.Contexts ?? [])
        {
            contexts[ContentContextNames.Parse(name)] = new ContextRule(rule.Review, rule.AllowViolating);
        }

        var onUnreadable = file.OnUnreadable switch
        {
            null or "review" => VerdictKind.Review,
            "violating" => VerdictKind.Violating,
            var other => throw new FormatException($"on_unreadable is review or violating (content that could not be analysed is never clear), not '{other}'."),
        };

        return new Policy(file.Version, categories, contexts)
        {
            OnUnreadable = onUnreadable,
            Actions = ParseActions(file.Actions),
            StrongCuesReview = file.StrongCuesReview ?? true,
            Languages = languages,
            WithoutEmbeddings = withoutEmbeddings,
        };
    }

    private static Dictionary<string, IReadOnlyDictionary<string, CategoryThresholds>> ParseLanguages(
        Dictionary<string, Dictionary<string, ThresholdsFile>>? file, Dictionary<string, CategoryThresholds> categories, string where = "")
    {
        var languages = new Dictionary<string, IReadOnlyDictionary<string, CategoryThresholds>>(StringComparer.Ordinal);
        foreach (var (language, overrides) in file ?? [])
        {
            if (language.Length != 2 || !language.All(char.IsAsciiLetterLower))
            {
                throw new FormatException($"{where}The policy's languages are ISO 639-1 codes such as \"en\" or \"ar\", not '{language}'.");
            }

            var parsed = ParseThresholds(overrides, language, where);
            if (parsed.Keys.FirstOrDefault(id => !categories.ContainsKey(id)) is { } missing)
            {
                throw new FormatException($"{where}Language '{language}' sets thresholds for '{missing}', which the policy's categories do not have.");
            }

            languages[language] = parsed;
        }

        return languages;
    }

    private static Dictionary<string, CategoryThresholds> ParseThresholds(Dictionary<string, ThresholdsFile>? file, string? language, string where = "")
    {
        var categories = new Dictionary<string, CategoryThresholds>(StringComparer.Ordinal);
        foreach (var (id, t) in file ?? [])
        {
            if (!Taxonomy.TryGet(id, out _))
            {
                throw new FormatException($"{where}The policy names an unknown category '{id}'.");
            }

            if (t.Review is < 0 or > 1 || t.Violating is < 0 or > 1.0001 || t.Violating < t.Review)
            {
                string subject = language is null ? $"Category '{id}'" : $"Language '{language}', category '{id}'";
                throw new FormatException($"{where}{subject}: thresholds must satisfy 0 <= review <= violating <= 1.");
            }

            categories[id] = new CategoryThresholds(t.Review, t.Violating);
        }

        return categories;
    }

    private static ActionPolicy ParseActions(ActionsFile? file)
    {
        if (file is null)
        {
            return ActionPolicy.Default;
        }

        var rules = new List<ActionRule>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (rule, index) in (file.Rules ?? []).Select((r, i) => (r, i)))
        {
            string name = string.IsNullOrWhiteSpace(rule.Name) ? $"rule {index + 1}" : rule.Name;
            if (!names.Add(name))
            {
                throw new FormatException($"Action rule '{name}' is named twice.");
            }

            if (string.IsNullOrWhiteSpace(rule.Action))
            {
                throw new FormatException($"Action rule '{name}' needs an \"action\" ({string.Join(", ", ModerationActionNames.All)}).");
            }

            var when = rule.When ?? new ConditionsFile();
            foreach (var label in when.LabelsAny ?? [])
            {
                if (!Taxonomy.TryGet(label, out _))
                {
                    throw new FormatException($"Action rule '{name}' names an unknown category '{label}'.");
                }
            }

            if (when.MinScore is < 0 or > 1)
            {
                throw new FormatException($"Action rule '{name}': min_score must be between 0 and 1.");
            }

            if (rule.Queue is { } queue && (queue.Length is 0 or > 64 || !queue.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
            {
                throw new FormatException($"Action rule '{name}': a queue name is 1-64 letters, digits, '-' or '_'.");
            }

            var conditions = new ActionConditions(
                when.Verdicts?.Select(ParseVerdict).ToList(),
                when.LabelsAny,
                when.MinScore,
                when.Contexts?.Select(ContentContextNames.Parse).ToList(),
                when.Languages,
                when.BankMatch);
            rules.Add(new ActionRule(name, conditions, ModerationActionNames.Parse(rule.Action), rule.Queue));
        }

        var defaults = file.Defaults ?? new DefaultsFile();
        return new ActionPolicy(
            rules,
            defaults.Clear is { } clear ? ModerationActionNames.Parse(clear) : ModerationAction.Allow,
            defaults.Review is { } review ? ModerationActionNames.Parse(review) : ModerationAction.Review,
            defaults.Violating is { } violating ? ModerationActionNames.Parse(violating) : ModerationAction.HidePendingReview);
    }

    private static VerdictKind ParseVerdict(string wire) => wire switch
    {
        "clear" => VerdictKind.Clear,
        "review" => VerdictKind.Review,
        "violating" => VerdictKind.Violating,
        _ => throw new FormatException($"Unknown verdict '{wire}'. Known: clear, review, violating."),
    };

    private static ActionsFile? ActionsToFile(ActionPolicy actions) => ReferenceEquals(actions, ActionPolicy.Default) ? null : new ActionsFile
    {
        Defaults = new DefaultsFile
        {
            Clear = actions.OnClear.ToWire(),
            Review = actions.OnReview.ToWire(),
            Violating = actions.OnViolating.ToWire(),
        },
        Rules = [.. actions.Rules.Select(r => new RuleFile
        {
            Name = r.Name,
            Action = r.Action.ToWire(),
            Queue = r.Queue,
            When = new ConditionsFile
            {
                Verdicts = r.When.Verdicts?.Select(v => v.ToWire()).ToList(),
                LabelsAny = r.When.LabelsAny?.ToList(),
                MinScore = r.When.MinScore,
                Contexts = r.When.Contexts?.Select(c => c.ToWire()).ToList(),
                Languages = r.When.Languages?.ToList(),
                BankMatch = r.When.BankMatch,
            },
        })],
    };

    public string ToJson() => JsonSerializer.Serialize(
        new PolicyFile
        {
            Version = Version,
            Categories = ThresholdsToFile(Categories),
            Contexts = Contexts.ToDictionary(kv => kv.Key.ToWire(), kv => new ContextFile { Review = kv.Value.Review, AllowViolating = kv.Value.AllowViolating }),
            Languages = LanguagesToFile(Languages),
            WithoutEmbeddings = WithoutEmbeddings is not { } own ? null : new ThresholdSetFile
            {
                Categories = ThresholdsToFile(own.Categories),
                Languages = LanguagesToFile(own.Languages),
            },
            Actions = ActionsToFile(Actions),
            StrongCuesReview = StrongCuesReview,
            OnUnreadable = OnUnreadable.ToWire(),
        },
        JsonOptions);

    private static Dictionary<string, ThresholdsFile> ThresholdsToFile(IReadOnlyDictionary<string, CategoryThresholds> thresholds) =>
        thresholds.ToDictionary(c => c.Key, c => new ThresholdsFile { Review = c.Value.Review, Violating = c.Value.Violating });

    private static Dictionary<string, Dictionary<string, ThresholdsFile>>? LanguagesToFile(IReadOnlyDictionary<string, IReadOnlyDictionary<string, CategoryThresholds>> languages) =>
        languages.Count == 0 ? null : languages.ToDictionary(kv => kv.Key, kv => ThresholdsToFile(kv.Value));

    private sealed class PolicyFile
    {
        public string Version { get; set; } = "";

        [JsonPropertyName("$comment")]
        public string? Comment { get; set; }

        public Dictionary<string, ThresholdsFile>? Categories { get; set; }

        public Dictionary<string, ContextFile>? Contexts { get; set; }

        public Dictionary<string, Dictionary<string, ThresholdsFile>>? Languages { get; set; }

        public bool? StrongCuesReview { get; set; }

        public string? OnUnreadable { get; set; }

        public ThresholdSetFile? WithoutEmbeddings { get; set; }

        public ActionsFile? Actions { get; set; }
    }

    private sealed class ThresholdSetFile
    {
        [JsonPropertyName("$comment")]
        public string? Comment { get; set; }

        public Dictionary<string, ThresholdsFile>? Categories { get; set; }

        public Dictionary<string, Dictionary<string, ThresholdsFile>>? Languages { get; set; }
    }

    private sealed class ActionsFile
    {
        [JsonPropertyName("$comment")]
        public string? Comment { get; set; }

        public DefaultsFile? Defaults { get; set; }

        public List<RuleFile>? Rules { get; set; }
    }

    private sealed class DefaultsFile
    {
        public string? Clear { get; set; }

        public string? Review { get; set; }

        public string? Violating { get; set; }
    }

    private sealed class RuleFile
    {
        public string? Name { get; set; }

        [JsonPropertyName("$comment")]
        public string? Comment { get; set; }

        public ConditionsFile? When { get; set; }

        public string? Action { get; set; }

        public string? Queue { get; set; }
    }

    private sealed class ConditionsFile
    {
        public List<string>? Verdicts { get; set; }

        public List<string>? LabelsAny { get; set; }

        public double? MinScore { get; set; }

        public List<string>? Contexts { get; set; }

        public List<string>? Languages { get; set; }

        public bool? BankMatch { get; set; }
    }

    private sealed class ThresholdsFile
    {
        public double Review { get; set; }

        public double Violating { get; set; }
    }

    private sealed class ContextFile
    {
        public double Review { get; set; }

        public bool AllowViolating { get; set; }
    }
}
