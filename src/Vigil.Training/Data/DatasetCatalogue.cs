namespace Vigil.Training.Data;

/// <summary>What a dataset's labels teach and measure.</summary>
public enum DatasetTask
{
    /// <summary>Posts labelled for content supporting terrorism: the terrorism head learns from them, and is measured on them.</summary>
    Terrorism,

    /// <summary>Posts labelled hate, or offensive or none: the hate head learns from them, and is measured on them.</summary>
    Hate,

    /// <summary>News reports: the news head's positives, and negatives of the others.</summary>
    News,

    /// <summary>A source-level label (every tweet of a pro-ISIS account): weak supervision, not per-post truth.</summary>
    Accounts,
}

/// <summary>The labels of the datasets' rows (see <c>../shared/data/README.md</c>): content supporting terrorism, a tweet
/// of a pro-ISIS account, hate speech, abuse that is not hate, news reporting, and none of these.</summary>
public static class DatasetLabels
{
    public const string Extremist = "extremist", ProIsisAccount = "pro_isis_account", Hate = "hate", Offensive = "offensive", News = "news", None = "none";
}

/// <summary>One labelled dataset of <c>../shared/data</c>: the folder <c>{Name}/</c> with a file per split,
/// <c>{Name}.{split}.jsonl</c>.</summary>
/// <param name="Name">The folder's name, which is also <see cref="LabelledPost.Set"/> of its rows.</param>
/// <param name="Task">What its labels teach and measure.</param>
/// <param name="PositiveLabel">The label that is positive for <paramref name="Task"/>; every other label is negative.</param>
/// <param name="RowLabels">The labels its rows carry.</param>
/// <param name="Language">Its language as the data's README gives it (ISO 639-1; "mostly" for some sets).</param>
public sealed record Dataset(string Name, DatasetTask Task, string PositiveLabel, IReadOnlyList<string> RowLabels, string Language)
{
    /// <summary>The file of <paramref name="split"/> under the datasets folder <paramref name="root"/>.</summary>
    public string PathOf(string root, string split) => Path.Combine(root, Name, $"{Name}.{split}.jsonl");

    /// <summary>Whether a row of this set is positive for its task.</summary>
    public bool IsPositive(LabelledPost post) => post.Label == PositiveLabel;

    /// <summary>The rows of <paramref name="split"/> under the datasets folder <paramref name="root"/>.</summary>
    public IReadOnlyList<LabelledPost> Load(string root, string split) => LabelledData.ReadJsonl(PathOf(root, split), Name);
}

/// <summary>
/// The labelled datasets of <c>../shared/data</c> in one place: their names, splits, tasks, positive labels and
/// languages, as the data's README describes them. <c>vigil train</c>, <c>vigil eval</c> and the trainers take every
/// set from here; no other code names one.
/// </summary>
public static class DatasetCatalogue
{
    /// <summary>The split models are fitted on (about 60% of every set).</summary>
    public const string Train = "train";

    /// <summary>The split thresholds are tuned and figures reported on (about 20%); the remaining 20% is kept back.</summary>
    public const string Dev = "dev";

    /// <summary>Tweets from ISIS-related conversations, hand-labelled pro-extremist or not (English translations).</summary>
    public static Dataset IsisTweets { get; } = new("isis-tweets-labelled", DatasetTask.Terrorism, DatasetLabels.Extremist, [DatasetLabels.Extremist, DatasetLabels.None], "en");

    /// <summary>Tweets of 112 pro-ISIS accounts ("How ISIS Uses Twitter"), mostly English.</summary>
    public static Dataset IsisAccounts { get; } = new("isis-accounts", DatasetTask.Accounts, DatasetLabels.ProIsisAccount, [DatasetLabels.ProIsisAccount], "en");

    /// <summary>De Gibert et al. 2018, sentences from the white-supremacist forum Stormfront.</summary>
    public static Dataset Stormfront { get; } = new("stormfront", DatasetTask.Hate, DatasetLabels.Hate, [DatasetLabels.Hate, DatasetLabels.None], "en");

    /// <summary>Davidson et al. 2017, tweets.</summary>
    public static Dataset Davidson { get; } = new("davidson", DatasetTask.Hate, DatasetLabels.Hate, [DatasetLabels.Hate, DatasetLabels.Offensive, DatasetLabels.None], "en");

    /// <summary>Ousidhoum et al. 2019, English tweets.</summary>
    public static Dataset MlmaEnglish { get; } = new("mlma-en", DatasetTask.Hate, DatasetLabels.Hate, [DatasetLabels.Hate, DatasetLabels.Offensive, DatasetLabels.None], "en");

    /// <summary>Ousidhoum et al. 2019, French tweets.</summary>
    public static Dataset MlmaFrench { get; } = new("mlma-fr", DatasetTask.Hate, DatasetLabels.Hate, [DatasetLabels.Hate, DatasetLabels.Offensive, DatasetLabels.None], "fr");

    /// <summary>Ousidhoum et al. 2019, Arabic tweets.</summary>
    public static Dataset MlmaArabic { get; } = new("mlma-ar", DatasetTask.Hate, DatasetLabels.Hate, [DatasetLabels.Hate, DatasetLabels.Offensive, DatasetLabels.None], "ar");

    /// <summary>Mulki et al. 2019, Levantine Arabic political tweets.</summary>
    public static Dataset LHsab { get; } = new("l-hsab", DatasetTask.Hate, DatasetLabels.Hate, [DatasetLabels.Hate, DatasetLabels.Offensive, DatasetLabels.None], "ar");

    /// <summary>AG News test split, title and description; <see cref="LabelledPost.MentionsTerrorism"/> marks news about terrorism.</summary>
    public static Dataset AgNews { get; } = new("ag-news", DatasetTask.News, DatasetLabels.News, [DatasetLabels.News], "en");

    /// <summary>Every labelled set, in the order train and eval read them.</summary>
    public static IReadOnlyList<Dataset> All { get; } = [IsisTweets, IsisAccounts, Stormfront, Davidson, MlmaEnglish, MlmaFrench, MlmaArabic, LHsab, AgNews];

    /// <summary>The sets that train and tune the hate head, in catalogue order.</summary>
    public static IReadOnlyList<Dataset> HateSets { get; } = [.. All.Where(d => d.Task == DatasetTask.Hate)];

    /// <summary>The hate sets in English.</summary>
    public static IReadOnlyList<Dataset> EnglishHateSets { get; } = [.. HateSets.Where(d => d.Language == "en")];

    private static readonly Dictionary<string, Dataset> ByName = All.ToDictionary(d => d.Name, StringComparer.Ordinal);

    /// <summary>The catalogue's set named <paramref name="name"/>, or null for any other (a file given to <c>vigil eval</c>,
    /// Vigil's own sentences).</summary>
    public static Dataset? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>Where the datasets are: <c>$VIGIL_SHARED/data</c>, else <c>../shared/data</c> next to the repository
    /// when run from a checkout (found from the current directory up), else <c>../shared/data</c> from here.</summary>
    public static string DefaultRoot()
    {
        if (Environment.GetEnvironmentVariable("VIGIL_SHARED") is { Length: > 0 } fromEnvironment)
        {
            return Path.Combine(fromEnvironment, "data");
        }

        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "..", "shared", "data");
            if (File.Exists(Path.Combine(dir.FullName, "Vigil.slnx")) && Directory.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        return Path.GetFullPath(Path.Combine("..", "shared", "data"));
    }

    /// <summary>The rows of <paramref name="split"/> of every set, in catalogue order.</summary>
    public static IReadOnlyList<LabelledPost> LoadAll(string root, string split) => [.. All.SelectMany(d => d.Load(root, split))];
}
