using Vigil.Core;
using Vigil.Training.Data;

namespace Vigil.Training.Evaluation;

/// <summary>
/// How often neutral mentions of protected groups and everyday religious expressions are flagged: Vigil's audit
/// sentences (<see cref="IdentityAudit"/>), and the posts of the English hate sets that are not hate, by the group they name.
/// </summary>
public static class BiasAudits
{
    /// <summary>How many of an audit's neutral sentences are flagged, then by term: flagged, the mean and highest of the
    /// score the audit is about, and the mean of the other.</summary>
    public static BiasAudit Audit(
        IReadOnlyList<ScoredPost> sentences,
        string termColumn,
        (string Name, Func<ScoredPost, double> Score) main,
        (string Name, Func<ScoredPost, double> Score) other)
    {
        static bool Flagged(ScoredPost r) => r.Verdict.Kind != VerdictKind.Clear;
        var terms = sentences.GroupBy(r => IdentityAudit.TermOf(r.Post))
            .Select(g => new AuditTermRow(g.Key, g.Count(), g.Count(Flagged), g.Average(main.Score), g.Max(main.Score), g.Average(other.Score)));
        return new BiasAudit(termColumn, main.Name, other.Name, sentences.Count, sentences.Count(Flagged), [.. terms]);
    }

    /// <summary>The posts of the English hate sets in <paramref name="results"/> not labelled hate, by the group they
    /// name: none, any, and each of <see cref="IdentityAudit.Terms"/> named in at least 30 posts; null without such posts.</summary>
    public static GroupMentionAudit? GroupMentions(IReadOnlyDictionary<string, ScoredPost[]> results)
    {
        var english = DatasetCatalogue.EnglishHateSets.Where(s => results.ContainsKey(s.Name)).SelectMany(s => results[s.Name])
            .Where(r => r.Post.Label != DatasetLabels.Hate).ToList();
        if (english.Count == 0)
        {
            return null;
        }

        var mentions = english.Select(r => MentionedGroups(r.Post.Text)).ToList();
        var rows = new List<GroupMentionRow>();
        void Row(string name, Func<int, bool> naming)
        {
            var none = Enumerable.Range(0, english.Count).Where(i => naming(i) && english[i].Post.Label != DatasetLabels.Offensive).ToList();
            var offensive = Enumerable.Range(0, english.Count).Where(i => naming(i) && english[i].Post.Label == DatasetLabels.Offensive).ToList();
            rows.Add(new GroupMentionRow(name, none.Count, none.Count(i => english[i].Hate), offensive.Count, offensive.Count(i => english[i].Hate)));
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

        return new GroupMentionAudit(
            english.Count,
            [.. DatasetCatalogue.EnglishHateSets.Select(s => s.Name)],
            [.. DatasetCatalogue.EnglishHateSets.Where(s => s.RowLabels.Contains(DatasetLabels.Offensive)).Select(s => s.Name)],
            rows);
    }

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
    internal static HashSet<string> MentionedGroups(string text)
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
}
