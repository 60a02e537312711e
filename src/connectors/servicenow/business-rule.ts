/**
 * The business rules a ServiceNow admin adds: one on the connection's table
 * (after insert and update), and one on sys_attachment (after insert and
 * delete), because adding or deleting a file does not change the record.
 */
export function serviceNowBusinessRule(url: string, table: string, secret: string): string {
  const send = `  var secret = '${secret}';
  var signature = new GlideCertificateEncryption().generateMac(GlideStringUtil.base64Encode(secret), 'HmacSHA256', body);
  var message = new sn_ws.RESTMessageV2();
  message.setEndpoint('${url}');
  message.setHttpMethod('post');
  message.setRequestHeader('Content-Type', 'application/json');
  message.setRequestHeader('X-ServiceNow-Signature', signature);
  message.setRequestBody(body);
  message.executeAsync();`;
  return `// Business rule on ${table}: When = after, Insert and Update, Advanced.
// It sends what the record became (its write count and the new values of what changed), so Crosswalk
// usually need not read the record back; journals (comments, work notes) are read by Crosswalk itself.
(function executeRule(current, previous) {
  var changes = {};
  var names = new GlideRecordUtil().getFields(current);
  for (var i = 0; i < names.length; i++) {
    var element = current.getElement(names[i]);
    if (names[i].indexOf('sys_') != 0 && element.changes() && element.getED().getInternalType() != 'journal_input') changes[names[i]] = current.getValue(names[i]);
  }
  var body = JSON.stringify({
    sys_id: current.getUniqueValue(),
    table: current.getTableName(),
    event: current.operation(),
    user: gs.getUserName(),
    sys_mod_count: current.getValue('sys_mod_count'),
    sys_updated_on: current.getValue('sys_updated_on'),
    changes: changes,
    sent_at: Math.floor(new GlideDateTime().getNumericValue() / 1000)
  });
${send}
})(current, previous);

// Business rule on sys_attachment: When = after, Insert and Delete, Advanced,
// Condition: current.table_name == '${table}'
(function executeRule(current, previous) {
  var body = JSON.stringify({
    sys_id: current.getValue('table_sys_id'),
    table: current.getValue('table_name'),
    event: current.operation() == 'delete' ? 'attachment_delete' : 'attachment',
    user: gs.getUserName(),
    sent_at: Math.floor(new GlideDateTime().getNumericValue() / 1000)
  });
${send}
})(current, previous);`;
}
