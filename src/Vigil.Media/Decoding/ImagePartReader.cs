using Vigil.Core.Content;
using Vigil.Core.Signals;

namespace Vigil.Media;

/// <summary>Decodes image parts (<see cref="ImageDecoder"/>, with its pixel and size budgets) and sets their
/// <see cref="DecodedImage"/>; an image that does not decode faithfully is marked unreadable with the decoder's reason
/// (<see cref="MediaDecodeException.Summary"/>).</summary>
public sealed class ImagePartReader(ImageDecoder decoder) : IPartReader
{
    public string PartType => PartTypes.Image;

    /// <summary>The decoder and its budgets.</summary>
    public ImageDecoder Decoder => decoder;

    public void Read(PartView part)
    {
        ArgumentNullException.ThrowIfNull(part);
        try
        {
            part.SetFeature(decoder.Decode(part.Part.Bytes));
        }
        catch (MediaDecodeException e)
        {
            part.Unreadable = e.Summary;
        }
    }
}
