using Vigil.Training.Data;

namespace Vigil.Training.Tests;

public sealed class DatasetCatalogueTests
{
    [Fact]
    public void Every_set_has_a_train_and_a_dev_file_whose_labels_the_catalogue_lists()
    {
        foreach (var set in DatasetCatalogue.All)
        {
            foreach (string split in new[] { DatasetCatalogue.Train, DatasetCatalogue.Dev })
            {
                var rows = set.Load(TestData.SharedData, split);
                Assert.NotEmpty(rows);
                Assert.All(rows, r => Assert.Equal(set.Name, r.Set));
                Assert.All(rows.Select(r => r.Label).Distinct(), label => Assert.Contains(label, set.RowLabels));
                Assert.Contains(rows, set.IsPositive);
            }
        }
    }

    [Fact]
    public void Names_are_unique_and_found_by_name()
    {
        Assert.Equal(DatasetCatalogue.All.Count, DatasetCatalogue.All.Select(d => d.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(DatasetCatalogue.All, d => Assert.Same(d, DatasetCatalogue.Find(d.Name)));
        Assert.Null(DatasetCatalogue.Find(NeutralSentences.ReligiousSet));
        Assert.Single(DatasetCatalogue.All, d => d.Task == DatasetTask.Terrorism);
        Assert.All(DatasetCatalogue.HateSets, d => Assert.Equal(DatasetLabels.Hate, d.PositiveLabel));
        Assert.All(DatasetCatalogue.EnglishHateSets, d => Assert.Equal("en", d.Language));
    }

    [Fact]
    public void Files_are_named_after_their_set_and_split()
    {
        string path = DatasetCatalogue.Stormfront.PathOf("/data", DatasetCatalogue.Dev);
        Assert.Equal(Path.Combine("/data", DatasetCatalogue.Stormfront.Name, $"{DatasetCatalogue.Stormfront.Name}.dev.jsonl"), path);
    }
}
