using Vigil.Core;
using Vigil.Core.Content;
using Vigil.Core.Signals;

namespace Vigil.Media.Ocr;

/// <summary>
/// The OCR detector: reads the text in decoded image parts and hands it back to the pipeline as a derived text part
/// (id <c>PARENT.ocr</c>), with an <c>ocr</c> signal whose evidence spans that whole text and quotes it; the text
/// detectors then assess the derived part, and their evidence spans are offsets into exactly that text. Whether the
/// engine can run is checked on first use; when it cannot, <paramref name="onUnavailable"/> is told once and images are
/// still hashed and matched. When the engine fails on an image (time limit, crash), the image was not analysed: the
/// result is a <c>media.unreadable</c> signal with the reason, which the policy never lets pass as clear.
/// </summary>
/// <param name="engine">The OCR engine.</param>
/// <param name="onUnavailable">Told once when the engine cannot run here.</param>
/// <param name="gate">Bounds how many images are read at once (each read is one engine process at a time); null: no bound.</param>
public sealed class OcrDetector(IOcrEngine engine, Action<string>? onUnavailable = null, WorkGate? gate = null) : IContentDetector
{
    private readonly Lazy<Task<bool>> _available = new(async () =>
    {
        var availability = await engine.CheckAsync(CancellationToken.None);
        if (!availability.Available)
        {
            onUnavailable?.Invoke($"OCR is unavailable, text in images is not read (images are still hashed and matched): {availability.Description}");
        }

        return availability.Available;
    });

    public IReadOnlyList<string> PartTypes { get; } = [Core.Content.PartTypes.Image];

    public async Task<IReadOnlyList<DetectorResult>> DetectAsync(IReadOnlyList<PartView> parts, ParallelOptions parallel)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(parallel);
        var results = new DetectorResult[parts.Count];
        Array.Fill(results, DetectorResult.None);
        if (!parts.Any(p => p.Feature<DecodedImage>() is not null) || !await _available.Value.WaitAsync(parallel.CancellationToken))
        {
            return results;
        }

        await Parallel.ForEachAsync(Enumerable.Range(0, parts.Count), parallel, async (i, ct) =>
        {
            if (parts[i].Feature<DecodedImage>() is { } image)
            {
                using var slot = gate is null ? null : await gate.EnterAsync(ct);
                results[i] = Read(parts[i].Part, await engine.ReadAsync(image, ct));
            }
        });
        return results;
    }

    private static DetectorResult Read(ContentPart image, OcrResult read)
    {
        if (read.Status == OcrStatus.Failed)
        {
            // Not analysed: an image whose text could not be read is never passed as clear (a slow image is no way round OCR).
            string reason = $"no text read: {read.Problem}";
            return new DetectorResult(
                Signals: [new Signal(SignalKinds.Unreadable, image.Type, 1, [new Evidence(0, 0, SignalKinds.Unreadable, $"{image.Type} '{image.Name ?? image.Id}' could not be analysed: {reason}")])],
                Problem: reason);
        }

        if (!read.HasText)
        {
            return DetectorResult.None;
        }

        var detail = $"text read from image '{image.Name ?? image.Id}' by {read.Engine}; the other text evidence spans are offsets into it: \"{read.Text}\"";
        return new DetectorResult(
            Signals: [new Signal(SignalKinds.Ocr, "text", 1, [new Evidence(0, read.Text.Length, SignalKinds.Ocr, detail)])],
            Derived: [ContentPart.Derived(image, "ocr", read.Text)]);
    }
}
