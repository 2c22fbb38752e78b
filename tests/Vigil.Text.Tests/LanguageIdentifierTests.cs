using Vigil.Text.Language;

namespace Vigil.Text.Tests;

public sealed class LanguageIdentifierTests
{
    private static readonly LanguageIdentifier Identifier = new();

    [Theory]
    [InlineData("I think we should go there today", "en")]
    [InlineData("Je pense que nous allons au marché avec elle demain", "fr")]
    [InlineData("مرحبا بكم في المنتدى", "ar")]
    [InlineData("el perro de los vecinos está muy cansado pero contento", "es")]
    [InlineData("Ich habe das nicht gewusst und bin auch nicht sicher", "de")]
    [InlineData("Thanks!", "en")]
    public void Identifies_the_language_of_plain_posts(string text, string expected) =>
        Assert.Equal(expected, Identifier.Identify(text));

    [Fact]
    public void Persian_script_goes_to_the_detector_rather_than_being_taken_for_Arabic() =>
        Assert.Equal("fa", Identifier.Identify("این یک متن کوتاه فارسی است که برای آزمایش نوشته شده و چیزی ندارد"));

    [Theory]
    [InlineData("")]
    [InlineData("12345 !!! ???")]
    [InlineData("Xyzzy plugh")]
    [InlineData("@the_and_is #the_and_is http://the.and.is/was/were")]
    public void Stays_unknown_when_nothing_tells(string text) =>
        Assert.Null(Identifier.Identify(text));

    [Fact]
    public void User_names_hashtags_links_and_entities_do_not_count_as_words()
    {
        // Every common word below sits inside a user name, a hashtag or a link; the one French sentence decides.
        const string text = "@the_and_is_was #they_were_there https://example.com/the/and/is www.the-and-is.com &amp; &#8220; " +
            "je suis avec elle";
        Assert.Equal("fr", Identifier.Identify(text));

        var counts = LanguageIdentifier.CountCommonWords(text);
        Assert.Equal(4, counts.Common);
        Assert.Equal("fr", counts.Leader);
    }

    [Fact]
    public void Removes_noise_for_the_detector_and_keeps_the_rest()
    {
        string cleaned = LanguageIdentifier.WithoutHandlesAndLinks("RT @user: hello &amp; welcome http://x.example/z #tag pic.twitter.com/abc ok");
        Assert.DoesNotContain("@", cleaned, StringComparison.Ordinal);
        Assert.DoesNotContain("#", cleaned, StringComparison.Ordinal);
        Assert.DoesNotContain("http", cleaned, StringComparison.Ordinal);
        Assert.DoesNotContain("amp", cleaned, StringComparison.Ordinal);
        Assert.DoesNotContain("twitter", cleaned, StringComparison.Ordinal);
        Assert.Equal(["RT", "hello", "welcome", "ok"], cleaned.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        const string plain = "nothing to remove here & there";
        Assert.Same(plain, LanguageIdentifier.WithoutHandlesAndLinks(plain));
    }

    [Fact]
    public void The_language_with_most_common_words_leads_and_ties_are_unsure()
    {
        Assert.Equal("en", LanguageIdentifier.CountCommonWords("the cat and the dog sont la").Leader);
        Assert.Null(LanguageIdentifier.CountCommonWords("the cat avec").Leader);
        Assert.Null(LanguageIdentifier.CountCommonWords("zebra quartz").Leader);
        Assert.Equal(2, LanguageIdentifier.CountCommonWords("zebra quartz").Words);
    }

    [Fact]
    public void A_long_post_is_settled_by_its_first_common_words()
    {
        string text = string.Concat(Enumerable.Repeat("the and is are ", 50)) + string.Concat(Enumerable.Repeat("je suis avec elle ", 50));
        var counts = LanguageIdentifier.CountCommonWords(text);
        Assert.Equal("en", counts.Leader);
        Assert.Equal(8, counts.Common);
    }

    [Fact]
    public void Common_word_lists_are_lowercase_unaccented_and_name_each_word_once()
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (language, words) in LanguageIdentifier.CommonWordLists)
        {
            foreach (string word in words.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                Assert.True(word.All(char.IsAsciiLetterLower), $"'{word}' ({language}) must be lowercase ASCII letters");
                Assert.True(word.Length <= 16, $"'{word}' ({language}) is longer than the words compared");
                Assert.True(seen.TryAdd(word, language), $"'{word}' is listed for {language} and for {seen.GetValueOrDefault(word)}");
            }
        }
    }
}
