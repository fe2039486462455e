import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import type { Principal } from '@haidang/request-context';
import { BORDER_CROSSINGS, COUNTERPART_UNITS } from '../../registers/domain';

/** The registers records refer to, for the caller's province: reference data kept in code with its dates. */
@ApiTags('registers')
@ApiBearerAuth()
@Controller('api/v1')
export class RegistersHttpController {
  @Get('border-crossings')
  @Authorize('registers.read')
  @ApiOkResponse({ description: 'Crossings of your province: international, main, secondary; names in Vietnamese and Chinese' })
  crossings(@CurrentPrincipal() principal: Principal) {
    return { items: BORDER_CROSSINGS.filter((c) => c.provinceCode === principal.agency.province) };
  }

  @Get('counterpart-units')
  @Authorize('registers.read')
  @ApiOkResponse({ description: 'Guangxi units facing your province; names in Chinese and Vietnamese' })
  counterparts(@CurrentPrincipal() principal: Principal) {
    return { items: COUNTERPART_UNITS.filter((u) => u.facingProvinceCode === principal.agency.province) };
  }
}
