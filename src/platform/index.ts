/**
 * What the platform capability offers the others: the only file another capability may import
 * (the lint rule chorus/capability-boundaries holds this). Everything else in the folder is its own.
 */
export { auditChanges, auditFilterChoices, listAuditEntries, recordAudit, type AuditFilter, type AuditRecord } from './audit.ts';
export { auditActionLabel, countOf, describeAuditEntries, type AuditSubjectName, type AuditWords } from './audit-words.ts';
export { defineCapability, type TableHolds } from './capability.ts';
export { countDashboardFigures, figureLabel, type DashboardFigure, type DashboardFigureEntry } from './dashboard-figures.ts';
export { ConfigError, booleanSetting, positiveInt, setting, wholeNumber, type Config, type Setting, type SettingList, type SettingValues } from './config.ts';
export { csvStream } from './csv.ts';
export { isUniqueViolation } from './db/database.ts';
export { OPERATORS, filterError, filterWhere, type FieldSpecs, type FilterNode, type Operator } from './db/filter.ts';
export { pagedQuery, whereWith, type PageRequest } from './db/paged-query.ts';
export { dbViewOf, txViewOf, viewOf, type Handle, type View, type ViewDb, type ViewTx } from './db/view.ts';
export { DatabaseOutageLog, DomainError, conflict, databaseOutageLog, isDatabaseUnavailable, forbidden, gone, invalidField, invalidFields, notFound, rateLimited, type FieldProblem, type WarnLog } from './http/errors.ts';
export { requireRole } from './http/guards.ts';
export { isNotModified, keepFor, preferredEncoding } from './http/hot-responses.ts';
export { pageCount, pageFrom } from './http/pagination.ts';
export { clientIp } from './http/client-ip.ts';
export { OutboundRefusedError, REFUSED_MESSAGE, addressRefusal, isPublicAddress, outboundFetch, refusedAtEntry, type OutboundResponse } from './http/outbound-fetch.ts';
export { describeError, logRequestFailure, uploadLimits, wantsJson, type FrameworkErrorWording, type PublicUploads, type UploadedFile } from './http/server.ts';
export { ImportProgress, type ImportSummary, type Importer } from './import-report.ts';
export { addJob, defineJob, type CronEntry, type JobDefinition } from './jobs/jobs.ts';
export { type Ticker } from './jobs/ticker.ts';
export { deleteFinishedMail, deleteMailTo, keepForViewer, mailRetention, queueEmail, queueEmails, type QueueEmailOptions } from './mail/outbox.ts';
export { renderEmail, type RenderedEmail } from './mail/render.tsx';
export { composeMessage } from './mail/compose.ts';
export { isPermanentFailure, type OutgoingMessage } from './mail/transport.ts';
export { SHARE_IMAGE_MIN, imageFacts, imageSize, storeImage, uploadedFile, type ImageFacts } from './media.ts';
export { MAX_PHOTO_PIXELS, preparePhoto, type PreparePhotoOptions, type PreparedImage, type PreparedPhoto } from './images/prepare-photo.ts';
export { SHARE_CARD, renderShareCard, shareCardEtag, type ShareCard, type ShareCardBrand, type ShareCardInput } from './images/share-card.ts';
export { enforceRateLimits, hitRateLimits, isRateLimited, refundRateLimit, type RateLimit, type RateLimitAnswer } from './rate-limit.ts';
export { organiserAccessRemoved, type AccessRemoval, type AccessRemovalListener } from './organiser-access.ts';
export { hearsFrom, type HearsFromCondition } from './hears-from.ts';
export { personalDataProviders } from './personal-data.ts';
export { personActionLabel, personActionSentence, personCondition, personConditions, type ActionEntry, type PersonActivity, type PersonCondition } from './person-activity.ts';
export { deleteSetting, readSetting, writeSetting } from './settings.ts';
export { KeyRing, SealedValueError, generateKeyText, isSealed, keyIdOf, parseKeyText, sealedBytesKeyId, sealedBytesPrefix, sealedKeyId, sealedUnderPattern, type SealingKey } from './sealed.ts';
export { type MailAttachment, type PlatformTables, type Timestamp } from './tables.ts';
export { ActionButton, Button, Checkbox, ChoiceGroup, CsrfField, ErrorSummary, FileInput, Form, LondonTime, Notice, PageNotice, Pagination, QueryNotice, ScrollingTable, Select, Tag, TextArea, TextInput, type Option, type TagColour } from './web/components.tsx';
export { usePage, type Brand, type NavLink, type PageContext, type Viewer } from './web/context.ts';
export { andList, formatCalendarDate, formatLondon, formatNumber } from './web/format.ts';
export { checkbox, emailAddress, errorsFrom, formList, formValues, optionalEmail, optionalText, optionalWebsite, parseForm, parseOrThrow, parseParams, parseRequest, problemsFromZod, queryText, requiredText, saveOrFieldErrors, type FieldErrors, type FormResult, type FormValues, type Saved } from './web/forms.ts';
export { constituencySections, groupSections, homeSections, type PageSection, type SectionConstituency, type SectionContext, type SectionGroup } from './web/page-sections.ts';
export { EmbedLayout, Layout, roleLabel, type ShareInfo } from './web/layout.tsx';
export { redirectWithNotice, takeNotice } from './web/flash.ts';
export { BRAND_CARD, brandCardPng, encodePng } from './web/brand-card.ts';
export { escapeHtml, renderDocument, renderFragment } from './web/render.tsx';
export { rss, xmlText, type RssChannel, type RssItem } from './feeds/rss.ts';
