using System.Text;
using Vigil.Core;
using Vigil.Text.Normalization;

namespace Vigil.Text.Tests;

/// <summary>
/// Random hostile text through the whole text pipeline: it must never throw, and every evidence span must lie inside the
/// text as sent. Deterministic (fixed seed); a wider run of the same generator over 7.6 million texts found the
/// noncharacter crash that <see cref="TextNormalizerTests"/> now pins down.
/// </summary>
public sealed class HostileTextTests
{
    private static readonly string[] Pieces =
    [
        "isis", "I.S.I.S", "k h i l a f a", "d a e s h", "1$1$", "@", "$", "0", "3", ".", " ", "\t", "\n", "\r\n", "\u200B", "\u200D",
        "\u202E", "\u2066", "\uFEFF", "\u00AD", "\u180E", "\u3000", "\u0430", "\u0455", "\u0640", "\u0629", "\u0623", "\u064B",
        "\u0651", "\u0301", "\uD83D", "\uDE00", "\uD83D\uDE00", "\uFDFA", "\uFB01", "\u216B", "\u2460", "\u01C5", "\u0130", "\u00DF",
        "\u03C2", "\uFF29\uFF33", "\uD835\uDC22", "\uD83C\uDDEE", "\uFFFE", "\uFFFF", "\u0000", "amaq", "dabiq", "https://x.y/z",
        "a@b.c", "www.", "#", "'", "\u2019", "-", "_", "...", "!!!", "jjjjjoin", "j o i n", "\u0644\u0627", "\uFEFB", "\uAC01", "\u0E47",
    ];

    [Fact]
    public void Random_hostile_text_never_breaks_the_pipeline_and_spans_stay_inside_the_text()
    {
        string data = TextResources.DefaultDirectory();
        var analyzer = new TextAnalyzer(TextResources.Load(data), new TextAnalyzerOptions(Embeddings: EmbeddingMode.Off));
        var policy = Policy.Parse(File.ReadAllText(Path.Combine(data, "policy.json")));
        var random = new Random(20261130);
        for (int n = 0; n < 20_000; n++)
        {
            var text = new StringBuilder();
            int parts = random.Next(1, 40);
            for (int i = 0; i < parts; i++)
            {
                _ = random.Next(4) switch
                {
                    0 => text.Append(Pieces[random.Next(Pieces.Length)]),
                    1 => text.Append((char)random.Next(0, 0x10000)),
                    2 => text.Append((char)random.Next(0x20, 0x7F)),
                    _ => text.Append(Pieces[random.Next(Pieces.Length)][0]).Append(' '),
                };
            }

            string input = text.ToString();
            var verdict = policy.Decide(analyzer.Assess(input));
            foreach (var evidence in verdict.Evidence)
            {
                Assert.True(evidence.Start >= 0 && evidence.Start <= evidence.End && evidence.End <= input.Length, $"span {evidence.Start}-{evidence.End} of a {input.Length}-unit text");
            }

            var normalized = TextNormalizer.Normalize(input);
            var (start, end) = normalized.ToOriginal(0, normalized.Length);
            Assert.InRange(start, 0, input.Length);
            Assert.InRange(end, start, input.Length);
        }
    }
}
