using Microsoft.Data.Sqlite;
using Vigil.Cli.Commands;
using Vigil.Core;
using Vigil.Media;
using Vigil.Media.Banks;
using Vigil.Media.Ocr;
using Vigil.Storage.Banks;
using Vigil.Text;

namespace Vigil.Cli.Scanning;

/// <summary>
/// Scans image documents for <c>vigil scan</c>: the media detectors (hashes, bank matches, OCR), then the text
/// detectors on the OCR text, then the same policy as text. Banks and OCR are set up on the first image, so that a
/// scan of text alone never opens the database or looks for Tesseract; what is missing is said once.
/// </summary>
internal sealed class ImageScanner
{
    private readonly TextAnalyzer _text;
    private readonly Policy _policy;
    private readonly Action<string> _warn;
    private readonly Lazy<Task<MediaAnalyzer>> _media;

    /// <param name="databasePath">The bank database; a missing file means no banks.</param>
    /// <param name="ocr">The OCR engine, or null for none (<c>--no-ocr</c>).</param>
    /// <param name="warn">Says something on standard error (thread-safe).</param>
    public ImageScanner(TextAnalyzer text, Policy policy, string databasePath, IOcrEngine? ocr, Action<string> warn)
    {
        _text = text;
        _policy = policy;
        _warn = warn;
        _media = new Lazy<Task<MediaAnalyzer>>(() => SetUpAsync(databasePath, ocr), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public async ValueTask<ScanResult> ScanAsync(ScanItem item, CancellationToken cancellationToken)
    {
        var media = await _media.Value.WaitAsync(cancellationToken);
        string path = item.ImagePath!;
        ImageAnalysis analysis;
        try
        {
            var bytes = await MediaFiles.ReadAsync(path, media.Decoder, cancellationToken);
            analysis = await media.AnalyzeAsync(bytes, cancellationToken);
        }
        catch (Exception e) when (e is MediaDecodeException or IOException or UnauthorizedAccessException)
        {
            return new ScanResult(item with { Error = MediaFiles.Describe(e) }, null);
        }

        if (analysis.Ocr is { Status: OcrStatus.Failed } failed)
        {
            _warn($"{path}: no text read: {failed.Problem}");
        }

        var text = analysis.Ocr is { HasText: true } ocr ? _text.Assess(ocr.Text) : null;
        return new ScanResult(item, _policy.Decide(MediaAssessment.Combine(path, analysis.Banks, analysis.Ocr, text)));
    }

    private async Task<MediaAnalyzer> SetUpAsync(string databasePath, IOcrEngine? ocr)
    {
        var banks = BankMatcher.Empty;
        if (!File.Exists(databasePath))
        {
            _warn($"no hash banks: there is no database at {databasePath} (see 'vigil bank'); images are not matched against banks");
        }
        else
        {
            try
            {
                banks = await (await BankDatabase.OpenAsync(databasePath, CancellationToken.None)).LoadMatcherAsync(cancellationToken: CancellationToken.None);
                if (banks.Banks.Count == 0)
                {
                    _warn($"no enabled hash banks in {databasePath}; images are not matched against banks");
                }
            }
            catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException or HashBankException)
            {
                _warn($"the hash banks in {databasePath} cannot be read ({e.Message}); images are not matched against banks");
            }
        }

        if (ocr is not null)
        {
            var availability = await ocr.CheckAsync(CancellationToken.None);
            if (!availability.Available)
            {
                _warn($"OCR is unavailable, text in images is not read (images are still hashed and matched): {availability.Description}");
                ocr = null;
            }
        }

        return new MediaAnalyzer(new ImageDecoder(), banks, ocr);
    }
}
