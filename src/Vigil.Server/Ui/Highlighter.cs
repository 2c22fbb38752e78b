using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using Vigil.Core;

namespace Vigil.Server.Ui;

/// <summary>A run of the text and the evidence (1-based numbers into the evidence list) covering it.</summary>
public sealed record TextSegment(string Text, IReadOnlyList<int> Evidence);

/// <summary>Splits a text at every evidence boundary so that overlapping spans can each be marked and explained.</summary>
public static class Highlighter
{
    public static IReadOnlyList<TextSegment> Segments(string text, IReadOnlyList<Evidence> evidence)
    {
        var spans = evidence
            .Select((e, i) => (Start: Math.Clamp(e.Start, 0, text.Length), End: Math.Clamp(e.End, 0, text.Length), Number: i + 1))
            .Where(s => s.End > s.Start)
            .ToList();
        var cuts = new SortedSet<int> { 0, text.Length };
        foreach (var (start, end, _) in spans)
        {
            cuts.Add(start);
            cuts.Add(end);
        }

        var segments = new List<TextSegment>();
        int previous = 0;
        foreach (int cut in cuts.Skip(1))
        {
            if (cut > previous)
            {
                var covering = spans.Where(s => s.Start <= previous && s.End >= cut).Select(s => s.Number).ToList();
                segments.Add(new TextSegment(text[previous..cut], covering));
            }

            previous = cut;
        }

        return segments;
    }

    /// <summary>The text as HTML (every character encoded), evidence runs in <c>&lt;mark&gt;</c> with their numbers,
    /// without any whitespace of its own (the text is shown with <c>white-space: pre-wrap</c>).</summary>
    public static IHtmlContent Render(IReadOnlyList<TextSegment> segments)
    {
        var html = new StringBuilder();
        foreach (var segment in segments)
        {
            string text = HtmlEncoder.Default.Encode(segment.Text);
            if (segment.Evidence.Count == 0)
            {
                html.Append(text);
                continue;
            }

            string numbers = string.Join(",", segment.Evidence);
            html.Append($"<mark class=\"ev\" title=\"Evidence {numbers}\">{text}<sup>{numbers}</sup></mark>");
        }

        return new HtmlString(html.ToString());
    }

    /// <summary>What a signal type means, for reviewers.</summary>
    public static string Explain(string signal) => signal switch
    {
        SignalKinds.Designation => "Designation list entry (a proscribed or sanctioned organisation or person)",
        SignalKinds.Lexicon => "Coded term, slogan or media outlet from Vigil's lexicon",
        SignalKinds.Classifier => "Classifier score over the whole text",
        SignalKinds.Context => "Context cue (news, counter-speech, research, discussion)",
        SignalKinds.Language => "Language identification",
        "pdq" => "Image matched a hash bank (PDQ perceptual hash, within the Hamming distance shown)",
        "md5" or "sha256" => "Image matched a hash bank exactly (file hash)",
        "ocr" => "Text read from the image",
        SignalKinds.Unreadable => "Not analysed: a part that could not be read (an image that does not decode is never passed as clear)",
        _ => signal,
    };
}
