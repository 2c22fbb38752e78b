using System.Security.Cryptography;
using Vigil.Core;
using Vigil.Core.Banks;
using Vigil.Core.Content;
using Vigil.Core.Signals;
using Vigil.Media;
using Vigil.Media.Ocr;
using Vigil.Moderation.Pipeline;
using Vigil.Text;

namespace Vigil.Moderation.Tests;

/// <summary>A signal type that exists only in this test project: the length of a text, matched exactly. It proves that a
/// new signal type needs no change to Vigil's code.</summary>
public sealed class ToyLengthSignalType : SignalType
{
    public override string Name => "toy_length";

    public override string Description => "The length of a text (a test's toy).";

    public override IReadOnlyList<string> PartTypes { get; } = [Core.Content.PartTypes.Text];

    public override string? Normalize(string? value, out string normalized)
    {
        normalized = (value ?? "").Trim();
        return normalized.Length is > 0 and < 10 && normalized.All(char.IsAsciiDigit) ? null : "a toy_length is a number";
    }

    public override IEnumerable<ContentHash> Hash(PartView part) =>
        part.Part.Text is { } text ? [new ContentHash(Name, text.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))] : [];
}

public sealed class ContentPipelineTests
{
    private static ContentPipeline Pipeline(BankMatcher? banks = null, IOcrEngine? ocr = null, SignalTypeRegistry? types = null, WorkGate? reads = null, WorkGate? ocrGate = null) => new(
        types ?? VigilSignalTypes.Default,
        [new ImagePartReader(new ImageDecoder())],
        ocr is null ? [new TextDetector(Fixtures.Analyzer)] : [new TextDetector(Fixtures.Analyzer), new OcrDetector(ocr, gate: ocrGate)],
        new FixedBankMatcher(banks ?? BankMatcher.Empty),
        Fixtures.Policy,
        reads);

    private static BankMatcher Banks(SignalTypeRegistry types, HashBank bank, params BankEntry[] entries)
    {
        var builder = new BankMatcher.Builder(types);
        builder.AddBank(bank);
        long id = 1;
        foreach (var entry in entries)
        {
            builder.Add(bank.Name, entry with { Id = id++ });
        }

        return builder.Build();
    }

    [Fact]
    public async Task Text_decides_as_the_text_detectors_and_the_policy_do()
    {
        string text = "new release from amaq, share it";
        var result = await Pipeline().AssessAsync([ContentPart.FromText(text)]);
        var direct = Fixtures.Policy.Decide(Fixtures.Analyzer.Assess(text));

        Assert.Equal(direct.Kind, result.Verdict.Kind);
        Assert.Equal(direct.Labels, result.Verdict.Labels);
        Assert.Equal(direct.Scores, result.Verdict.Scores);
        Assert.Equal(direct.Evidence, result.Verdict.Evidence);
        Assert.Equal((direct.Context, direct.Language), (result.Verdict.Context, result.Verdict.Language));
        var part = Assert.Single(result.Parts);
        Assert.Null(part.Unreadable);
    }

    [Fact]
    public async Task A_batch_decides_each_item_as_alone()
    {
        string[] texts = ["new release from amaq, share it", "the gardening club meets on tuesday", ""];
        var pipeline = Pipeline();
        var batch = await pipeline.AssessBatchAsync([.. texts.Select(t => (IReadOnlyList<ContentPart>)[ContentPart.FromText(t)])], new ParallelOptions { MaxDegreeOfParallelism = 2 });
        for (int i = 0; i < texts.Length; i++)
        {
            var alone = await pipeline.AssessAsync([ContentPart.FromText(texts[i])]);
            Assert.Equal(alone.Verdict.Scores, batch[i].Verdict.Scores);
            Assert.Equal(alone.Verdict.Evidence, batch[i].Verdict.Evidence);
        }
    }

    [Fact]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms", Justification = "MD5 is what the bank holds.")]
    public async Task An_image_that_does_not_decode_is_reviewed_and_still_matched_by_its_bytes()
    {
        byte[] truncated = Fixtures.TruncatedPng();
        var types = VigilSignalTypes.Default;
        var banks = Banks(types, new HashBank("tvec"), new BankEntry("md5", Convert.ToHexStringLower(MD5.HashData(truncated))));
        var result = await Pipeline(banks).AssessAsync([ContentPart.FromText("look at this"), ContentPart.FromImage(truncated, "upload")]);

        var image = result.Parts[1];
        Assert.StartsWith("truncated image", image.Unreadable, StringComparison.Ordinal);
        Assert.Equal(["md5"], image.Hashes.Select(h => h.SignalType)); // the types the banks use; no PDQ without pixels anyway
        Assert.Equal(VerdictKind.Review, result.Verdict.Kind);
        Assert.Equal(ModerationAction.Review, result.Outcome.Action);
        Assert.Contains(result.Verdict.Evidence, e => e.Signal == SignalKinds.Unreadable && e.Detail.Contains("image 'upload' could not be analysed: truncated image", StringComparison.Ordinal));
        Assert.Contains(result.Verdict.Evidence, e => e.Signal == "md5" && e.Detail.Contains("bank 'tvec' entry 1: md5 exact", StringComparison.Ordinal));
        Assert.Equal("en", result.Verdict.Language); // the rest of the content was still assessed
    }

    [Fact]
    public async Task Text_read_from_an_image_is_assessed_as_a_derived_part_with_offsets_into_it()
    {
        string read = "new release from amaq, share it";
        byte[] png = Fixtures.Png();
        var types = VigilSignalTypes.Default;
        var banks = Banks(types, new HashBank("tvec"), new BankEntry("sha256", Convert.ToHexStringLower(SHA256.HashData(png)), new BankLabels(Category: "terrorism.propaganda")));
        var result = await Pipeline(banks, new FixedOcr(read)).AssessAsync([ContentPart.FromImage(png, "leaflet.png")]);

        Assert.Equal(["image", "image.ocr"], result.Parts.Select(p => p.Part.Id));
        Assert.Equal(("image", read), (result.Parts[1].Part.ParentId, result.Parts[1].Part.Text));
        Assert.Equal(["sha256", SignalKinds.Ocr], result.Assessment.Signals.Take(2).Select(s => s.Type));
        var ocr = result.Verdict.Evidence.Single(e => e.Signal == SignalKinds.Ocr);
        Assert.Equal((0, read.Length), (ocr.Start, ocr.End));
        Assert.Contains("leaflet.png", ocr.Detail, StringComparison.Ordinal);
        var lexicon = result.Verdict.Evidence.First(e => e.Signal == SignalKinds.Lexicon);
        Assert.Equal("amaq", read[lexicon.Start..lexicon.End]);
        Assert.Equal(1.0, result.Verdict.Scores["terrorism.propaganda"]);
        Assert.Equal("en", result.Verdict.Language); // the only text is the one read from the image
    }

    [Fact]
    public async Task An_ocr_failure_is_a_problem_of_its_part_and_never_clear()
    {
        // A slow image (OCR past its time limit) is no way round OCR: the image was not analysed, so it goes to review.
        var result = await Pipeline(ocr: new FixedOcr("", OcrStatus.Failed)).AssessAsync([ContentPart.FromImage(Fixtures.Png(), "a.png")]);
        Assert.Equal(["no text read: timed out"], result.Problems);
        Assert.Single(result.Parts);
        var unreadable = result.Assessment.Signals.Single(s => s.Type == SignalKinds.Unreadable);
        Assert.Equal(PartTypes.Image, unreadable.Label);
        Assert.Equal("image 'a.png' could not be analysed: no text read: timed out", unreadable.Evidence.Single().Detail);
        Assert.Equal(VerdictKind.Review, result.Verdict.Kind);
    }

    [Fact]
    public async Task OCR_that_is_unavailable_still_hashes_and_is_not_a_failure()
    {
        var result = await Pipeline(ocr: new FixedOcr("", OcrStatus.Unavailable)).AssessAsync([ContentPart.FromImage(Fixtures.Png(), "a.png")]);
        Assert.DoesNotContain(result.Assessment.Signals, s => s.Type == SignalKinds.Unreadable);
        Assert.Equal(VerdictKind.Clear, result.Verdict.Kind);
    }

    [Fact]
    public async Task Image_decodes_past_the_bound_wait_and_then_are_refused_as_busy()
    {
        using var reads = new WorkGate("image decodes", 1, TimeSpan.Zero);
        var pipeline = Pipeline(reads: reads);
        var held = await reads.EnterAsync();
        var busy = await Assert.ThrowsAsync<BusyException>(() => pipeline.AssessAsync([ContentPart.FromImage(Fixtures.Png(), "a.png")]));
        Assert.Equal("image decodes", busy.Work);

        // Text has nothing to decode: it does not wait for the gate.
        Assert.Equal(VerdictKind.Clear, (await pipeline.AssessAsync([ContentPart.FromText("the garden club meets on Friday")])).Verdict.Kind);

        held.Dispose();
        var result = await pipeline.AssessAsync([ContentPart.FromImage(Fixtures.Png(), "a.png")]);
        Assert.NotNull(result.Parts[0].Part);
        Assert.Null(result.Parts[0].Unreadable);
        Assert.Equal(0, reads.Running); // the slot was given back
    }

    [Fact]
    public async Task An_image_waits_for_a_free_OCR_slot_and_is_refused_as_busy_past_the_wait()
    {
        using var patient = new WorkGate("OCR processes", 1, TimeSpan.FromMinutes(5));
        var held = await patient.EnterAsync();
        var waiting = Pipeline(ocr: new FixedOcr("garden club"), ocrGate: patient).AssessAsync([ContentPart.FromImage(Fixtures.Png(), "a.png")]);
        while (patient.Waiting == 0)
        {
            await Task.Delay(10);
        }

        Assert.False(waiting.IsCompleted);
        held.Dispose();
        Assert.Equal("garden club", (await waiting).Parts[1].Part.Text);

        using var impatient = new WorkGate("OCR processes", 1, TimeSpan.Zero);
        using var taken = await impatient.EnterAsync();
        var busy = await Assert.ThrowsAsync<BusyException>(() => Pipeline(ocr: new FixedOcr("garden club"), ocrGate: impatient).AssessAsync([ContentPart.FromImage(Fixtures.Png(), "a.png")]));
        Assert.Equal("OCR processes", busy.Work);
    }

    [Fact]
    public async Task Every_part_of_an_item_is_hashed_and_matched()
    {
        byte[] first = Fixtures.Png(1), second = Fixtures.Png(3);
        var types = VigilSignalTypes.Default;
        var banks = Banks(types, new HashBank("tvec"), new BankEntry("sha256", Convert.ToHexStringLower(SHA256.HashData(second))));
        var parts = new[] { ContentPart.FromImage(first, "one"), new ContentPart("image2", PartTypes.Image, "image/png", Bytes: second, Name: "two") };
        var result = await Pipeline(banks).AssessAsync(parts);

        Assert.All(result.Parts, p => Assert.Equal(["sha256"], p.Hashes.Select(h => h.SignalType))); // only the types the banks use
        Assert.False(result.Parts[0].Banks.Any);
        Assert.Equal("tvec", Assert.Single(result.Parts[1].Banks.Matches).Bank.Name);
        Assert.Equal(VerdictKind.Review, result.Verdict.Kind);
    }

    [Fact]
    public async Task A_signal_type_registered_from_outside_matches_through_the_pipeline()
    {
        var types = VigilSignalTypes.Create([new ToyLengthSignalType()]);
        string text = "the gardening club meets on tuesday";
        var banks = Banks(types, new HashBank("toys"), new BankEntry("toy_length", text.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), new BankLabels(Category: "terrorism.propaganda")));

        var result = await Pipeline(banks, types: types).AssessAsync([ContentPart.FromText(text)]);

        var match = Assert.Single(result.Parts[0].Banks.Matches);
        Assert.Equal(("toys", "toy_length"), (match.Bank.Name, match.Entry.SignalType));
        var evidence = result.Verdict.Evidence.Single(e => e.Signal == "toy_length");
        Assert.Equal((0, text.Length), (evidence.Start, evidence.End)); // a text match spans the text
        Assert.Contains("bank 'toys' entry 1: toy_length exact", evidence.Detail, StringComparison.Ordinal);
        Assert.Equal(VerdictKind.Violating, result.Verdict.Kind); // an exact match of a certain entry scores its category 1
        Assert.Contains("terrorism.propaganda", result.Verdict.Labels);

        var other = await Pipeline(banks, types: types).AssessAsync([ContentPart.FromText(text + "!")]);
        Assert.Equal(VerdictKind.Clear, other.Verdict.Kind);
    }
}
