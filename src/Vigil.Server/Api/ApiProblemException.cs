namespace Vigil.Server.Api;

/// <summary>Input the API refuses: becomes an RFC 7807 problem with this status, title and detail.</summary>
public sealed class ApiProblemException(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    public IResult ToResult() => Results.Problem(statusCode: Status, title: Title, detail: Message);

    public static ApiProblemException BadRequest(string detail) => new(StatusCodes.Status400BadRequest, "The request is not valid", detail);

    public static ApiProblemException TooLarge(string detail) => new(StatusCodes.Status413PayloadTooLarge, "The request is too large", detail);

    public static ApiProblemException Unsupported(string detail) => new(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", detail);
}
