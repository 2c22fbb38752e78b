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

/// <summary>
/// Turns an <see cref="Assessment"/> into a <see cref="Verdict"/>. Operators change it by editing the policy file;
/// its <see cref="Version"/> is recorded on every verdict.
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

    public Verdict Decide(Assessment assessment)
    {
        var context = assessment.Context;
        Contexts.TryGetValue(context, out var contextRule);
        var labels = new List<Category>();
        bool violating = false;
        bool exemptionApplied = false;

        foreach (var category in Taxonomy.All)
        {
            double score = assessment.Scores.GetValueOrDefault(category.Id);
            if (!Categories.TryGetValue(category.Id, out var thresholds))
            {
                continue;
            }

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
            : assessment.Scores.GetValueOrDefault(b.Id).CompareTo(assessment.Scores.GetValueOrDefault(a.Id)));

        var legalBasis = labels.SelectMany(c => c.LegalBasis).Distinct(StringComparer.Ordinal).ToList();
        if (exemptionApplied)
        {
            legalBasis.Add(Taxonomy.EuTcoExemption);
        }

        var kind = violating ? VerdictKind.Violating : labels.Count > 0 ? VerdictKind.Review : VerdictKind.Clear;
        return new Verdict(
            kind,
            [.. labels.Select(c => c.Id)],
            Taxonomy.All.ToDictionary(c => c.Id, c => Math.Round(assessment.Scores.GetValueOrDefault(c.Id), 4), StringComparer.Ordinal),
            context,
            assessment.Language,
            [.. assessment.Signals.SelectMany(s => s.Evidence).OrderBy(e => e.Start).ThenBy(e => e.End)],
            legalBasis,
            Version);
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

        var categories = new Dictionary<string, CategoryThresholds>(StringComparer.Ordinal);
        foreach (var (id, t) in file.Categories ?? [])
        {
            if (!Taxonomy.TryGet(id, out _))
            {
                throw new FormatException($"The policy names an unknown category '{id}'.");
            }

            if (t.Review is < 0 or > 1 || t.Violating is < 0 or > 1.0001 || t.Violating < t.Review)
            {
                throw new FormatException($"Category '{id}': thresholds must satisfy 0 <= review <= violating <= 1.");
            }

            categories[id] = new CategoryThresholds(t.Review, t.Violating);
        }

        var contexts = new Dictionary<ContentContext, ContextRule>();
        foreach (var (name, rule) in file.Contexts ?? [])
        {
            contexts[ContentContextNames.Parse(name)] = new ContextRule(rule.Review, rule.AllowViolating);
        }

        return new Policy(file.Version, categories, contexts);
    }

    public string ToJson() => JsonSerializer.Serialize(
        new PolicyFile
        {
            Version = Version,
            Categories = Categories.ToDictionary(kv => kv.Key, kv => new ThresholdsFile { Review = kv.Value.Review, Violating = kv.Value.Violating }),
            Contexts = Contexts.ToDictionary(kv => kv.Key.ToWire(), kv => new ContextFile { Review = kv.Value.Review, AllowViolating = kv.Value.AllowViolating }),
        },
        JsonOptions);

    private sealed class PolicyFile
    {
        public string Version { get; set; } = "";

        [JsonPropertyName("$comment")]
        public string? Comment { get; set; }

        public Dictionary<string, ThresholdsFile>? Categories { get; set; }

        public Dictionary<string, ContextFile>? Contexts { get; set; }
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
