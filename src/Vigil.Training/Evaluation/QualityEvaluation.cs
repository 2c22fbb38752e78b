using Vigil.Core;
using Vigil.Text;

namespace Vigil.Training.Evaluation;

/// <summary>Everything <c>vigil eval</c> measured, as data (<see cref="QualityMarkdown"/> writes it as <c>docs/quality.md</c>).</summary>
/// <param name="Setup">What was scored, and how.</param>
/// <param name="Targets">The quality targets, measured.</param>
/// <param name="Ablation">F1 with the policy's rules switched off one at a time.</param>
/// <param name="CrossFitted">F1 with thresholds tuned on other posts; null without both terrorism and hate posts.</param>
/// <param name="PerSet">Metrics of every set labelled for terrorism or hate, by name.</param>
/// <param name="News">Verdicts on news reporting; null without the news set.</param>
/// <param name="Accounts">Verdicts on the tweets of pro-ISIS accounts; null without that set.</param>
/// <param name="Languages">Language identification on every catalogue set, by name.</param>
/// <param name="Identity">Neutral sentences naming protected groups.</param>
/// <param name="RealPosts">The English hate sets' posts not labelled hate, by the group they name; null without them.</param>
/// <param name="Expressions">Neutral sentences with everyday religious expressions.</param>
/// <param name="Confusion">Verdicts by label, every set by name.</param>
/// <param name="Evasion">F1 on obfuscated positives.</param>
/// <param name="Curves">Precision-recall curves to plot.</param>
public sealed record QualityEvaluation(
    EvaluationSetup Setup,
    IReadOnlyList<TargetResult> Targets,
    AblationResult Ablation,
    CrossFittedResult? CrossFitted,
    IReadOnlyList<SetMetrics> PerSet,
    NewsResult? News,
    AccountsResult? Accounts,
    IReadOnlyList<LanguageResult> Languages,
    BiasAudit Identity,
    GroupMentionAudit? RealPosts,
    BiasAudit Expressions,
    IReadOnlyList<ConfusionTable> Confusion,
    IReadOnlyList<EvasionResult> Evasion,
    IReadOnlyList<PrCurvePlot> Curves);

/// <summary>What was scored, and how.</summary>
/// <param name="Split">The split of the catalogue's sets.</param>
/// <param name="Policy">The policy the verdicts come from.</param>
/// <param name="EmbeddingStage">The embedding stage as it ran (off when the analyzer has none).</param>
/// <param name="Embeddings">The embedding stage asked for (<c>--embeddings</c>).</param>
public sealed record EvaluationSetup(string Split, Policy Policy, EmbeddingMode EmbeddingStage, EmbeddingMode Embeddings);

/// <summary>A quality target of the text-detection issue, measured.</summary>
/// <param name="Text">What is measured, e.g. "{set}: hate F1".</param>
/// <param name="Baseline">The baseline's figure, as text ("–" for none).</param>
public sealed record TargetResult(string Text, double Measured, double Goal, bool HigherIsBetter, string Baseline)
{
    public bool Met => HigherIsBetter ? Measured >= Goal : Measured <= Goal;
}

/// <summary>F1 of each target set (<see cref="AblationRow.F1"/>, one per variant) decided by the policy, then again with one of its rules off.</summary>
public sealed record AblationResult(IReadOnlyList<string> Variants, IReadOnlyList<AblationRow> Rows);

public sealed record AblationRow(string Set, IReadOnlyList<double> F1);

/// <summary>F1 with thresholds tuned on other posts (<see cref="CrossFitting"/>).</summary>
/// <param name="Folds">Parts the posts are cut into.</param>
/// <param name="Cuts">Different cuts.</param>
/// <param name="Tunings">Thresholds tuned in all (cuts × folds).</param>
/// <param name="TerrorismReviewLowest">The lowest terrorism review threshold of the tunings.</param>
/// <param name="TerrorismReviewHighest">The highest.</param>
public sealed record CrossFittedResult(int Folds, int Cuts, int Tunings, double TerrorismReviewLowest, double TerrorismReviewHighest, IReadOnlyList<CrossFittedRow> Rows);

/// <param name="Shipped">F1 with the policy's own thresholds (tuned on all dev posts).</param>
/// <param name="Mean">Mean F1 over the cuts, thresholds tuned on the other parts.</param>
public sealed record CrossFittedRow(string Set, double Shipped, double Mean, double Lowest, double Highest);

/// <summary>One set's figures for its positive label.</summary>
/// <param name="ViolatingCorrect">Posts decided violating that carry the positive label.</param>
public sealed record SetMetrics(
    string Set, int Rows, string PositiveLabel, int Positives, double Precision, double Recall, double F1, double AveragePrecision, int Violating, int ViolatingCorrect);

/// <summary>How news reporting was decided: posts about terrorism, and all.</summary>
public sealed record NewsResult(string Set, IReadOnlyList<VerdictShares> Rows);

/// <summary>How a group of posts was decided.</summary>
/// <param name="ContextNews">Share with the context news.</param>
public sealed record VerdictShares(string Label, int Rows, double Violating, double Review, double Clear, double ContextNews);

/// <summary>How the tweets of pro-ISIS accounts were decided.</summary>
public sealed record AccountsResult(string Set, VerdictShares Shares);

/// <summary>How often the language Vigil reports is the set's own.</summary>
/// <param name="Same">Posts reported in <paramref name="Language"/>.</param>
/// <param name="Unknown">Posts with no language reported.</param>
/// <param name="Others">The most frequent other languages reported, with their counts (at most three).</param>
public sealed record LanguageResult(string Set, string Language, int Rows, int Same, int Unknown, IReadOnlyList<(string Language, int Count)> Others);

/// <summary>An audit of neutral sentences: how many were flagged, and by term the score the audit is about and the other.</summary>
/// <param name="TermColumn">What a term is ("term", "expression").</param>
/// <param name="MainScore">The category the audit is about.</param>
/// <param name="OtherScore">The other category.</param>
public sealed record BiasAudit(string TermColumn, string MainScore, string OtherScore, int Sentences, int Flagged, IReadOnlyList<AuditTermRow> Terms);

public sealed record AuditTermRow(string Term, int Sentences, int Flagged, double MeanMain, double HighestMain, double MeanOther);

/// <summary>Real posts not labelled hate, by the group they name, and how often they are flagged for hate.</summary>
/// <param name="Sets">The sets the posts come from.</param>
/// <param name="SetsWithOffensive">Those of them that label posts offensive.</param>
public sealed record GroupMentionAudit(int Posts, IReadOnlyList<string> Sets, IReadOnlyList<string> SetsWithOffensive, IReadOnlyList<GroupMentionRow> Rows);

/// <param name="None">Posts labelled neither hate nor offensive.</param>
/// <param name="NoneFlagged">Of those, flagged for hate.</param>
public sealed record GroupMentionRow(string Name, int None, int NoneFlagged, int Offensive, int OffensiveFlagged);

/// <summary>Verdicts by the dataset's label.</summary>
public sealed record ConfusionTable(string Set, IReadOnlyList<ConfusionRow> Rows);

public sealed record ConfusionRow(string Label, int Violating, int Review, int Clear);

/// <summary>F1 of a set's positives clean and obfuscated by one kind of evasion.</summary>
public sealed record EvasionResult(string Set, string Kind, double Clean, double Evaded);

/// <summary>A plot of precision-recall curves.</summary>
/// <param name="File">The PNG's file name.</param>
public sealed record PrCurvePlot(string File, string Title, IReadOnlyList<PrCurve> Curves);

/// <summary>One set's precision-recall curve and average precision.</summary>
public sealed record PrCurve(string Name, IReadOnlyList<(double Threshold, double Precision, double Recall)> Points, double AveragePrecision);
