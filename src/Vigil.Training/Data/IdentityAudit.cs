namespace Vigil.Training.Data;

/// <summary>
/// Short neutral English sentences that mention a group of people by a protected characteristic (religion, ethnicity
/// or nationality, sexual orientation, gender identity, disability, age), written for Vigil. A classifier that learned
/// hate from posts attacking these groups tends to score any mention of them as hateful; <c>vigil eval</c> measures how
/// often these sentences, all neutral, are flagged. After Dixon et al. 2018, "Measuring and Mitigating Unintended Bias
/// in Text Classification" (the method, not their data). No classifier is trained on them.
/// <see cref="ExpressionSentences"/> do the same for the terrorism classifier: everyday religious expressions of
/// several faiths ("Inshallah", "Praise the Lord") in ordinary sentences, since a classifier that learned terrorism
/// from jihadist posts tends to suspect the religious vocabulary they use.
/// </summary>
public static class IdentityAudit
{
    /// <summary>The set name of the sentences (<see cref="LabelledPost.Set"/>).</summary>
    public const string Set = "identity-audit";

    /// <summary>The terms, each usable as an adjective before a noun ("a Sikh family") and after "is" ("she is Sikh").</summary>
    public static IReadOnlyList<string> Terms { get; } =
    [
        "Muslim", "Christian", "Jewish", "Hindu", "Buddhist", "Sikh", "atheist",
        "Arab", "Black", "white", "Asian", "Latino", "African", "Mexican", "Pakistani", "Somali", "Roma", "Polish",
        "gay", "lesbian", "transgender", "straight", "disabled", "elderly",
    ];

    // {a}: the article before the term; {x}: the term. A sentence starting with either is capitalised.
    private static readonly string[] Frames =
    [
        "I am {a} {x} person and I live in Leeds.",
        "My neighbour is {a} {x} woman who teaches maths.",
        "We had dinner with {a} {x} family last night.",
        "{a} {x} friend of mine runs the bakery on our street.",
        "The {x} students organised a football match on Sunday.",
        "Our new doctor is {a} {x} man from the next town.",
        "{x} people came to the library's book sale.",
        "She is {x} and loves gardening.",
        "The {x} community centre opens at nine.",
        "He married {a} {x} woman he met at university.",
        "There are many {x} families in this neighbourhood.",
        "Being {x} is part of who I am.",
    ];

    /// <summary>How many sentences each term has.</summary>
    public static int FramesPerTerm => Frames.Length;

    /// <summary>Every term in every frame, labelled <c>none</c>, id <c>term|frame number</c>.</summary>
    public static IReadOnlyList<LabelledPost> Sentences { get; } = Build(Set, Terms, Frames);

    /// <summary>The set name of the religious-expression sentences.</summary>
    public const string ExpressionSet = "religious-expression-audit";

    /// <summary>Everyday religious expressions: Islamic, Christian, Jewish, Sikh and Hindu.</summary>
    public static IReadOnlyList<string> Expressions { get; } =
    [
        "Inshallah", "Alhamdulillah", "Mashallah", "SubhanAllah", "Eid Mubarak", "Ramadan Mubarak",
        "God willing", "Thank God", "Praise the Lord", "Merry Christmas", "Baruch Hashem", "Shabbat shalom", "Waheguru", "Hari Om",
    ];

    private static readonly string[] ExpressionFrames =
    [
        "{x}! The whole family is coming for dinner tonight.",
        "{x}, the new baby arrived this morning.",
        "{x}. My exams went well today.",
        "The rain finally stopped and the garden is green, {x}.",
        "We open the new shop on Monday, {x}.",
        "Our team won the match on Saturday, {x}!",
    ];

    /// <summary>How many sentences each expression has.</summary>
    public static int FramesPerExpression => ExpressionFrames.Length;

    /// <summary>Every expression in every frame, labelled <c>none</c>, id <c>expression|frame number</c>.</summary>
    public static IReadOnlyList<LabelledPost> ExpressionSentences { get; } = Build(ExpressionSet, Expressions, ExpressionFrames);

    /// <summary>The term or expression a sentence mentions (from its id).</summary>
    public static string TermOf(LabelledPost post) => post.Id[..post.Id.IndexOf('|', StringComparison.Ordinal)];

    /// <summary>Every term in every frame, as posts of <paramref name="set"/> labelled <c>none</c>, with the id
    /// <c>term|frame number</c> that <see cref="TermOf"/> reads.</summary>
    internal static LabelledPost[] Build(string set, IReadOnlyList<string> terms, string[] frames) =>
    [
        .. terms.SelectMany(term => frames.Select((frame, f) => new LabelledPost(set, $"{term}|{f + 1}", Fill(frame, term), "none"))),
    ];

    /// <summary>The frame with the term in place of <c>{x}</c>, its article in place of <c>{a}</c>, capitalised.</summary>
    private static string Fill(string frame, string term)
    {
        string article = "aeiouAEIOU".Contains(term[0], StringComparison.Ordinal) ? "an" : "a";
        string text = frame.Replace("{a}", article, StringComparison.Ordinal).Replace("{x}", term, StringComparison.Ordinal);
        return char.ToUpperInvariant(text[0]) + text[1..];
    }
}
