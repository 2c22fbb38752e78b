namespace Vigil.Media;

/// <summary>Why an input could not be decoded into pixels.</summary>
public enum MediaDecodeFailure
{
    /// <summary>No bytes at all.</summary>
    Empty,

    /// <summary>Not one of the supported image formats (JPEG, PNG, GIF, WebP), or a feature of one that the decoder lacks.</summary>
    UnsupportedFormat,

    /// <summary>The file ends before its image data does (a partial upload or download).</summary>
    Truncated,

    /// <summary>The structure or pixel data is invalid.</summary>
    Corrupt,

    /// <summary>The declared pixel count (or the encoded size) exceeds the decoder's budget.</summary>
    TooLarge,
}

/// <summary>An input was refused by <see cref="ImageDecoder"/>; <see cref="Failure"/> says why.</summary>
public sealed class MediaDecodeException : Exception
{
    public MediaDecodeException()
        : this(MediaDecodeFailure.Corrupt, "The image could not be decoded.")
    {
    }

    public MediaDecodeException(string message)
        : this(MediaDecodeFailure.Corrupt, message)
    {
    }

    public MediaDecodeException(string message, Exception innerException)
        : this(MediaDecodeFailure.Corrupt, message, innerException)
    {
    }

    public MediaDecodeException(MediaDecodeFailure failure, string message, Exception? innerException = null)
        : base(message, innerException) => Failure = failure;

    /// <summary>The category of the failure.</summary>
    public MediaDecodeFailure Failure { get; }

    /// <summary>One line for users: the kind of failure, then the decoder's words, e.g. <c>truncated image: ...</c>.</summary>
    public string Summary => $"{Failure switch
    {
        MediaDecodeFailure.Empty => "empty file",
        MediaDecodeFailure.UnsupportedFormat => "not an image (JPEG, PNG, GIF or WebP)",
        MediaDecodeFailure.Truncated => "truncated image",
        MediaDecodeFailure.TooLarge => "image too large",
        _ => "corrupt image",
    }}: {Message}";
}
