namespace Vigil.Core;

/// <summary>The purpose a post appears to serve. One per post.</summary>
public enum ContentContext
{
    None,
    News,
    CounterSpeech,
    Research,
    Discussion,
}

public static class ContentContextNames
{
    public static string ToWire(this ContentContext context) => context switch
    {
        ContentContext.News => "news",
        ContentContext.CounterSpeech => "counter_speech",
        ContentContext.Research => "research",
        ContentContext.Discussion => "discussion",
        _ => "none",
    };

    public static ContentContext Parse(string wire) => wire switch
    {
        "news" => ContentContext.News,
        "counter_speech" => ContentContext.CounterSpeech,
        "research" => ContentContext.Research,
        "discussion" => ContentContext.Discussion,
        "none" => ContentContext.None,
        _ => throw new FormatException($"Unknown context '{wire}'. Known: news, counter_speech, research, discussion, none."),
    };

    /// <summary>Contexts that EU Reg. 2021/784 Art. 1(3) treats as legitimate purposes (journalism, education, research, counter-terrorism).</summary>
    public static bool IsProtectedPurpose(this ContentContext context) =>
        context is ContentContext.News or ContentContext.CounterSpeech or ContentContext.Research;
}
