/**
 * Azure DevOps answers errors as a serialized .NET exception:
 * `{"$id":"1","innerException":null,"message":…,"typeName":…,"typeKey":…,"errorCode":0,"eventId":3000}`
 * (vendor-apis.md §2.10). Work item rule failures add `customProperties`.
 */

export interface AdoErrorBody {
  $id: '1';
  customProperties?: Record<string, unknown>;
  innerException: null;
  message: string;
  typeName: string;
  typeKey: string;
  errorCode: number;
  eventId: number;
}

const WEBAPI = 'Microsoft.VisualStudio.Services.WebApi';
const WIT = 'Microsoft.TeamFoundation.WorkItemTracking.Server';

export class AdoError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly typeKey: string,
    readonly typeName: string,
    readonly eventId = 3000,
    readonly customProperties?: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): AdoErrorBody {
    return {
      $id: '1',
      ...(this.customProperties ? { customProperties: this.customProperties } : {}),
      innerException: null,
      message: this.message,
      typeName: this.typeName,
      typeKey: this.typeKey,
      errorCode: 0,
      eventId: this.eventId,
    };
  }
}

export const errors = {
  versionMissing: (method: string) =>
    new AdoError(
      400,
      `No api-version was supplied for the "${method}" request. The version must be supplied either as part of the Accept header (e.g. "application/json; api-version=1.0") or as a query parameter (e.g. '?api-version=1.0').`,
      'VssVersionNotSpecifiedException',
      `${WEBAPI}.VssVersionNotSpecifiedException, ${WEBAPI}`,
    ),
  versionOutOfRange: (version: string, latest: string) =>
    new AdoError(
      400,
      `The requested REST API version of ${version} is out of range for this server. The latest REST API version this server supports is ${latest}.`,
      'VssVersionOutOfRangeException',
      `${WEBAPI}.VssVersionOutOfRangeException, ${WEBAPI}`,
    ),
  versionInvalid: (version: string) =>
    new AdoError(
      400,
      `The version ${version} is not a valid REST API version. Supported formats are "<major>.<minor>" and "<major>.<minor>-preview[.<resourceVersion>]".`,
      'VssInvalidApiVersionException',
      `${WEBAPI}.VssInvalidApiVersionException, ${WEBAPI}`,
    ),
  previewRequired: (version: string) =>
    new AdoError(
      400,
      `The requested version "${version}" of the resource is under preview. The -preview flag must be supplied in the api-version for such requests. For example: "${version}-preview"`,
      'VssInvalidPreviewVersionException',
      `${WEBAPI}.VssInvalidPreviewVersionException, ${WEBAPI}`,
    ),
  resourceVersionUnsupported: (version: string, latest: number) =>
    new AdoError(
      400,
      `The requested resource version ${version} is not supported. The latest resource version for this resource is ${latest}.`,
      'VssVersionOutOfRangeException',
      `${WEBAPI}.VssVersionOutOfRangeException, ${WEBAPI}`,
    ),
  contentType: (type: string, method: string, valid: string) =>
    new AdoError(
      415,
      `The request indicated a Content-Type of "${type}" for method type "${method}" which is not supported. Valid content types for this method are: ${valid}.`,
      'VssRequestContentTypeNotSupportedException',
      `${WEBAPI}.VssRequestContentTypeNotSupportedException, ${WEBAPI}`,
    ),
  unauthorized: () =>
    new AdoError(
      401,
      'TF400813: Resource not available for anonymous access. Client authentication required.',
      'UnauthorizedRequestException',
      'Microsoft.TeamFoundation.Framework.Server.UnauthorizedRequestException, Microsoft.TeamFoundation.Framework.Server',
    ),
  badRequest: (message: string, typeKey = 'VssServiceException') =>
    new AdoError(
      400,
      message,
      typeKey,
      typeKey === 'ArgumentException' ||
        typeKey === 'ArgumentNullException' ||
        typeKey === 'ArgumentOutOfRangeException'
        ? `System.${typeKey}, mscorlib`
        : `${WEBAPI}.${typeKey}, ${WEBAPI}`,
    ),
  notFound: (message: string, typeKey = 'VssResourceNotFoundException') =>
    new AdoError(404, message, typeKey, `${WEBAPI}.${typeKey}, ${WEBAPI}`),
  routeNotFound: (path: string) =>
    new AdoError(
      404,
      `The controller for path '${path}' was not found or does not implement IController.`,
      'HttpException',
      'System.Web.HttpException, System.Web',
    ),
  projectNotFound: (project: string) =>
    new AdoError(
      404,
      `TF200016: The following project does not exist: ${project}. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server.`,
      'ProjectDoesNotExistWithNameException',
      'Microsoft.TeamFoundation.Core.WebApi.ProjectDoesNotExistWithNameException, Microsoft.TeamFoundation.Core.WebApi',
    ),
  workItemNotFound: (id: number | string) =>
    new AdoError(
      404,
      `TF401232: Work item ${id} does not exist, or you do not have permissions to read it.`,
      'WorkItemUnauthorizedAccessException',
      `${WIT}.WorkItemUnauthorizedAccessException, ${WIT}`,
      3200,
    ),
  workItemTypeNotFound: (type: string, project: string) =>
    new AdoError(
      404,
      `VS402323: Work item type ${type} does not exist in project ${project} or you do not have permission to access it.`,
      'WorkItemTypeNotFoundException',
      `${WIT}.Metadata.WorkItemTypeNotFoundException, ${WIT}`,
      3200,
    ),
  fieldNotFound: (field: string) =>
    new AdoError(
      400,
      `TF51535: Cannot find field ${field}.`,
      'WorkItemFieldInvalidException',
      `${WIT}.WorkItemFieldInvalidException, ${WIT}`,
      3200,
    ),
  readOnlyField: (field: string) =>
    new AdoError(
      400,
      `TF401326: Invalid field status 'ReadOnly' for field '${field}'.`,
      'RuleValidationException',
      `${WIT}.RuleValidationException, ${WIT}`,
      3200,
    ),
  /** TF401320, with the rule details in customProperties as the service sends them. */
  rule: (field: { referenceName: string; name: string }, flags: string[], errorMessage: string) => {
    const statusFlags = flags.map((f) => f[0]!.toLowerCase() + f.slice(1)).join(', ');
    const detail = {
      fieldReferenceName: field.referenceName,
      fieldStatusFlags: statusFlags,
      errorMessage,
      fieldStatusCode: 0,
      ruleValidationErrors: null,
    };
    return new AdoError(
      400,
      `TF401320: Rule Error for field ${field.name}. Error code: ${flags.join(', ')}.`,
      'RuleValidationException',
      `${WIT}.RuleValidationException, ${WIT}`,
      3200,
      {
        FieldReferenceName: field.referenceName,
        FieldStatusFlags: statusFlags,
        ErrorMessage: errorMessage,
        FieldStatusCode: 0,
        RuleValidationErrors: [detail],
      },
    );
  },
  revMismatch: () =>
    new AdoError(
      412,
      'TF26071: This work item has been changed by someone else since you opened it. You will need to refresh it and discard your changes.',
      'WorkItemRevisionMismatchException',
      `${WIT}.WorkItemRevisionMismatchException, ${WIT}`,
      3200,
    ),
  patch: (message: string) =>
    new AdoError(400, message, 'InvalidOperationException', 'System.InvalidOperationException, mscorlib'),
  batchLimit: (n: number, max: number) =>
    new AdoError(
      400,
      `VS403474: You requested ${n} work items which exceeds the limit of ${max}`,
      'VssServiceException',
      `${WEBAPI}.VssServiceException, ${WEBAPI}`,
    ),
  wiql: (message: string) =>
    new AdoError(
      400,
      message,
      'WorkItemTrackingQueryException',
      `${WIT}.Query.WorkItemTrackingQueryException, ${WIT}`,
      3200,
    ),
  wiqlTooMany: (max: number) =>
    new AdoError(
      400,
      `VS402337: The number of work items returned exceeds the size limit of ${max}. Change the query to return fewer items.`,
      'WorkItemTrackingQueryResultSizeLimitExceededException',
      `${WIT}.Query.WorkItemTrackingQueryResultSizeLimitExceededException, ${WIT}`,
      3200,
    ),
  throttled: (resource: string, headers: Record<string, string>) =>
    new AdoError(
      429,
      `TF400733: The request has been canceled: Request was blocked due to exceeding usage of resource '${resource}' in namespace 'User'.`,
      'RequestBlockedException',
      'Microsoft.TeamFoundation.Framework.Server.RequestBlockedException, Microsoft.TeamFoundation.Framework.Server',
      3000,
      undefined,
      headers,
    ),
};
