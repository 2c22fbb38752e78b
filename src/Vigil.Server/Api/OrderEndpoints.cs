using Vigil.Moderation.Compliance;
using Vigil.Server.Auth;
using Vigil.Storage;
using Vigil.Storage.Compliance;

namespace Vigil.Server.Api;

/// <summary>TCO removal orders (<c>/v1/removal-orders</c>, the <c>admin</c> scope): log, read with the clock, execute,
/// stop and restart the clock, and the Annex II and III replies as JSON.</summary>
public static class OrderEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        var orders = v1.MapGroup("/removal-orders").RequireAuthorization(VigilAuth.Admin).WithTags("removal-orders");
        orders.MapPost("/", LogAsync).WithName("LogRemovalOrder")
            .WithSummary("Log a TCO removal order as received (the one-hour clock starts at received_at); its URLs or ids are resolved to stored items, unknown ones listed.")
            .Produces<OrderDto>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status400BadRequest);
        orders.MapGet("/", async (IVigilStore store, RemovalOrders use, TimeProvider time, CancellationToken ct, bool? open = null) =>
                Results.Ok((await store.Compliance.ListOrdersAsync(open == true, 200, ct)).Select(o => OrderDto.From(o, use.Clock(o), time.GetUtcNow()))))
            .WithName("ListRemovalOrders").WithSummary("The last 200 orders, newest received first (open=true: not executed yet).").Produces<OrderDto[]>();
        orders.MapGet("/{id:long}", async (long id, IVigilStore store, RemovalOrders use, TimeProvider time, CancellationToken ct) =>
                await store.Compliance.GetOrderAsync(id, ct) is { } order ? Results.Ok(OrderDto.From(order, use.Clock(order), time.GetUtcNow())) : NotFound(id))
            .WithName("GetRemovalOrder").WithSummary("An order with its clock: deadline, seconds left, stops.").Produces<OrderDto>();
        orders.MapPost("/{id:long}/execute", async (long id, HttpContext http, RemovalOrders use, PolicyHolder policy, TimeProvider time, CancellationToken ct) =>
                Answer(await use.ExecuteAsync(id, http.User.Actor(), policy.Current.Version, ct), id, use, time))
            .WithName("ExecuteRemovalOrder").WithSummary("Remove the order's resolved content now (decision recorded, webhook content.removed, content preserved).")
            .Produces<OrderDto>().ProducesProblem(StatusCodes.Status409Conflict);
        orders.MapPost("/{id:long}/stop", async (long id, ClockStopRequest request, HttpContext http, RemovalOrders use, TimeProvider time, CancellationToken ct) =>
                OrderReplies.TryParse(request.Ground, out var ground)
                    ? Answer(await use.StopClockAsync(id, ground, request.Explanation ?? "", http.User.Actor(), ct), id, use, time)
                    : ApiProblemException.BadRequest("'ground' must be force_majeure, manifest_errors or insufficient_information (Annex III).").ToResult())
            .WithName("StopRemovalOrderClock").WithSummary("Stop the clock on an Annex III ground, with an explanation.")
            .Produces<OrderDto>().ProducesProblem(StatusCodes.Status409Conflict);
        orders.MapPost("/{id:long}/resume", async (long id, HttpContext http, RemovalOrders use, TimeProvider time, CancellationToken ct) =>
                Answer(await use.ResumeClockAsync(id, http.User.Actor(), ct), id, use, time))
            .WithName("ResumeRemovalOrderClock").WithSummary("Restart the clock: the grounds ceased or the clarification arrived.")
            .Produces<OrderDto>().ProducesProblem(StatusCodes.Status409Conflict);
        orders.MapGet("/{id:long}/annex-ii", async (long id, IVigilStore store, RemovalOrders use, TimeProvider time, CancellationToken ct) =>
                await store.Compliance.GetOrderAsync(id, ct) is { } order ? Results.Ok(OrderReplies.AnnexII(order, use.Clock(order), time.GetUtcNow())) : NotFound(id))
            .WithName("GetAnnexII").WithSummary("The Annex II feedback (removal and its time), generated from the record.").Produces<AnnexIIReply>();
        orders.MapGet("/{id:long}/annex-iii", async (long id, IVigilStore store, RemovalOrders use, TimeProvider time, CancellationToken ct) =>
                await store.Compliance.GetOrderAsync(id, ct) is { } order ? Results.Ok(OrderReplies.AnnexIII(order, use.Clock(order), time.GetUtcNow())) : NotFound(id))
            .WithName("GetAnnexIII").WithSummary("The Annex III information on the impossibility to comply (the clock's stops).").Produces<AnnexIIIReply>();
    }

    /// <summary>The use case's command for a request (the API's or the UI form's), or what is wrong with it.</summary>
    public static (LogOrder? Command, IReadOnlyList<string> Errors) Command(OrderRequest request, byte[]? document, string actor, string policyVersion)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<string>();
        if (request.IssuedAt is null)
        {
            errors.Add("issued_at: when the order was issued (ISO 8601 with offset).");
        }

        if (request.ReceivedAt is null)
        {
            errors.Add("received_at: when the order was received (ISO 8601 with offset).");
        }

        var (described, error) = document is null ? (null, null) : OrderDocuments.Describe(document, request.DocumentName);
        if (error is not null)
        {
            errors.Add(error);
        }

        return errors.Count > 0
            ? (null, errors)
            : (new LogOrder(
                new OrderDetails(
                    request.Reference ?? "", request.MemberState ?? "", request.Authority ?? "", request.ContactPoint, request.IssuedAt!.Value, request.ReceivedAt!.Value,
                    request.Reasons ?? [], request.WithheldUntil),
                request.Locations ?? [], described, document ?? ReadOnlyMemory<byte>.Empty, actor, policyVersion), []);
    }

    private static async Task<IResult> LogAsync(OrderRequest request, HttpContext http, RemovalOrders use, ComplianceSettings settings, PolicyHolder policy, TimeProvider time, CancellationToken cancellationToken)
    {
        byte[]? document = null;
        if (request.DocumentBase64 is { Length: > 0 } base64)
        {
            if (base64.Length / 4 * 3 > settings.MaxOrderDocumentBytes + 3)
            {
                return ApiProblemException.TooLarge($"document: at most {settings.MaxOrderDocumentBytes} bytes.").ToResult();
            }

            try
            {
                document = Convert.FromBase64String(base64);
            }
            catch (FormatException)
            {
                return ApiProblemException.BadRequest("document_base64: not valid base64.").ToResult();
            }
        }

        var (command, errors) = Command(request, document, http.User.Actor(), policy.Current.Version);
        var logged = command is null ? null : await use.LogAsync(command, cancellationToken);
        if (logged?.Order is not { } order)
        {
            return ApiProblemException.BadRequest(string.Join(" ", logged?.Errors ?? errors)).ToResult();
        }

        return Results.Created($"/v1/removal-orders/{order.Id}", OrderDto.From(order, use.Clock(order), time.GetUtcNow()));
    }

    private static IResult Answer(OrderActionResult result, long id, RemovalOrders use, TimeProvider time) => result.Status switch
    {
        OrderActionStatus.Done => Results.Ok(OrderDto.From(result.Order!, use.Clock(result.Order!), time.GetUtcNow())),
        OrderActionStatus.NotFound => NotFound(id),
        OrderActionStatus.Executed => Conflict($"Removal order {id} was executed already."),
        OrderActionStatus.WrongClockState => Conflict(use.Clock(result.Order!).IsStopped ? $"The clock of order {id} is stopped already." : $"The clock of order {id} is not stopped."),
        _ => ApiProblemException.BadRequest("'explanation' is required: say why the order cannot be executed.").ToResult(),
    };

    private static IResult Conflict(string detail) => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    private static IResult NotFound(long id) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no removal order {id}.");
}
